package rest

import (
	"reflect"
	"slices"

	"github.com/loopback-go/lb/openapi"
)

// Controller is a struct whose methods are operations. Its Routes method
// registers them with the typed functions, passing method values:
//
//	func (c *TodoController) Routes(r *rest.ControllerRoutes) {
//		rest.Get(r, "/todos/{id}", c.FindByID)
//		rest.Post(r, "/todos", c.Create)
//	}
//
// Each operation's operationId is "<Controller>.<name>", where name is the
// operation's OperationID option ("findById") or, without one, derived
// from its method and path ("getTodosId") — never from the Go method's
// name, so that renaming a method does not change the API. Its tags are
// ["<Controller>"] and its interceptor target is the operationId.
type Controller interface {
	Routes(r *ControllerRoutes)
}

// ControllerNamer lets a controller choose its name; by default it is the
// name of its Go type ("TodoController").
type ControllerNamer interface {
	ControllerName() string
}

// ControllerRoutes registers the operations of one controller; it is a
// Registrar for Get, Post, Handle and the others.
type ControllerRoutes struct {
	s    *Server
	name string
	opts []OperationOption
}

// Controller registers the operations of c. opts apply to every one of them
// (for example WithInterceptors for controller-level interceptors), before
// the operation's own.
func (s *Server) Controller(c Controller, opts ...OperationOption) {
	name := ""
	if n, ok := c.(ControllerNamer); ok {
		name = n.ControllerName()
	} else {
		t := reflect.TypeOf(c)
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		name = t.Name()
	}
	c.Routes(&ControllerRoutes{s: s, name: name, opts: opts})
}

// Name returns the controller's name.
func (cr *ControllerRoutes) Name() string { return cr.name }

func (cr *ControllerRoutes) register(method, path string, op *openapi.Operation, build func(*Server, opConfig) (*compiled, error), cfg opConfig) {
	var ccfg opConfig
	for _, o := range cr.opts {
		o(&ccfg)
	}
	cfg.hidden = cfg.hidden || ccfg.hidden
	cfg.interceptors = append(slices.Clip(ccfg.interceptors), cfg.interceptors...)
	cfg.edit = append(slices.Clip(ccfg.edit), cfg.edit...)
	cfg.tags = append(slices.Clip(ccfg.tags), cfg.tags...)
	if cfg.status == 0 {
		cfg.status = ccfg.status
	}
	cfg.meta = mergeMetadata(ccfg.meta, cfg.meta)
	name := cfg.id
	if name == "" {
		name = defaultOperationID(method, path)
	}
	op.OperationID = cr.name + "." + name
	op.Tags = append(append(op.Tags, cr.name), cfg.tags...)
	op.Extensions = map[string]any{"x-controller-name": cr.name, "x-operation-name": name}
	cfg.target = op.OperationID
	if err := cr.s.registerTyped(method, path, op, build, cfg); err != nil {
		panic("rest: " + err.Error())
	}
}
