package di

// Tag names a binding tag. Declare the tags an application uses once, as
// constants, and share them:
//
//	const RepositoryTag di.Tag = "repository"
//
//	di.Bind(app, TodoRepoKey).To(repo).Tag(RepositoryTag, lb.ObserverGroupTag.Is("db"))
//	app.FindByTag(RepositoryTag)
//
// A tag may carry a value: t.Is("v") is the tag t with value "v", written
// "t=v". Binding.Tag adds it, ByTag and FindByTag match it; a bare tag
// matches a binding that has the tag with any value.
type Tag string

// Is returns t carrying value: "name=value".
func (t Tag) Is(value string) Tag { return t + "=" + Tag(value) }

// Named is anything that names a binding: every Key[T] and
// ExtensionPoint[T] is one. Functions that address a binding without
// needing the type of its value (Configure, Config, Unbind) take a Named, so
// that the key declared once is the one used everywhere.
type Named interface {
	// Name returns the binding key, possibly with a "#path" suffix.
	Name() string
}
