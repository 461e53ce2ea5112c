package service

import "github.com/loopback-go/lb/di"

// TagService marks the bindings of services in a container.
const TagService di.Tag = "service"

// Key returns the container key of the service called name,
// "services.<name>", as LoopBack binds service proxies.
//
//	di.Bind(app, service.Key[*restsvc.Service]("geocoder")).To(geo)
func Key[T any](name string) di.Key[T] {
	return di.NewKey[T]("services." + name)
}

// Bind binds svc in c at [Key](name), tagged [TagService], so that
// handlers and interceptors resolve it as they resolve repositories.
func Bind[T any](c *di.Container, name string, svc T) *di.Binding[T] {
	return di.Bind(c, Key[T](name)).To(svc).Tag(TagService)
}
