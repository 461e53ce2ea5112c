package di

// Configure binds the configuration of the binding key names, at
// ConfigKey(key.Name()) ("<key>:$config"), and tags it
// "configurationFor=<key>". Configure works for any key, bound or not:
//
//	di.Configure[rest.Config](app, lb.ServerKey("rest")).To(rest.Config{Port: 3000})
func Configure[T any](c *Container, key Named) *Binding[T] {
	name := key.Name()
	return Bind(c, NewKey[T](ConfigKey(name))).Tag(TagConfigurationFor.Is(name))
}

// TagConfigurationFor is the tag Configure puts on configuration bindings;
// its value is the configured key.
const TagConfigurationFor Tag = "configurationFor"

// Config resolves the configuration of the binding key names in c. The
// name may have a "#path" into the configuration:
// Config[int](c, di.NewKey[*rest.Server]("servers.rest#port")).
// Configuration is optional: when none is bound, Config returns T's zero
// value and no error. Other errors are Get's.
func Config[T any](c *Container, key Named) (T, error) {
	k := NewKey[T](ConfigKey(key.Name()))
	if c.lookup(k.key) == nil {
		var zero T
		return zero, nil
	}
	return Get(c, k)
}
