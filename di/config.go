package di

// Configure binds the configuration of the binding named key, at
// ConfigKey(key) ("<key>:$config"), and tags it "configurationFor=<key>".
// Configure works for any key, bound or not:
//
//	di.Configure[rest.Config](app, "servers.rest").To(rest.Config{Port: 3000})
func Configure[T any](c *Container, key string) *Binding[T] {
	return Bind(c, NewKey[T](ConfigKey(key))).Tag(TagConfigurationFor + "=" + key)
}

// TagConfigurationFor is the tag Configure puts on configuration bindings;
// its value is the configured key.
const TagConfigurationFor = "configurationFor"

// Config resolves the configuration of the binding named key in c. key may
// have a "#path" into the configuration: Config[int](c, "servers.rest#port").
// Configuration is optional: when none is bound, Config returns T's zero
// value and no error. Other errors are Get's.
func Config[T any](c *Container, key string) (T, error) {
	k := NewKey[T](ConfigKey(key))
	if c.lookup(k.key) == nil {
		var zero T
		return zero, nil
	}
	return Get(c, k)
}
