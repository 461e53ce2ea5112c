package di

// Getter resolves a key each time it is called, in the context it was made
// for. Use it to break a dependency cycle, or to read a value that changes
// (or is bound) after the getter was made.
type Getter[T any] func() (T, error)

// NewGetter returns a Getter for k in c.
func NewGetter[T any](c *Container, k Key[T]) Getter[T] {
	c = &c.n.self // a getter runs later, outside the current resolution
	return func() (T, error) { return Get(c, k) }
}

// Setter binds a constant to a key in the context it was made for — the
// context that resolved it. Authentication uses one to publish the current
// user into the request context:
//
//	setUser := di.NewSetter(reqCtx, CurrentUser)
//	setUser(user) // Get(reqCtx, CurrentUser) now returns user
type Setter[T any] func(v T)

// NewSetter returns a Setter for k in c.
func NewSetter[T any](c *Container, k Key[T]) Setter[T] {
	c = &c.n.self
	return func(v T) { c.Add(NewBinding(k).To(v)) }
}

// lazyMaker lets ToConstructor build a Getter or Setter for a parameter
// whose type parameter it only knows through reflection.
type lazyMaker interface {
	makeLazy(c *Container, key string) any
}

func (Getter[T]) makeLazy(c *Container, key string) any { return NewGetter(c, NewKey[T](key)) }
func (Setter[T]) makeLazy(c *Container, key string) any { return NewSetter(c, NewKey[T](key)) }
