package rest

import (
	"reflect"
	"slices"
	"strings"

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
// Each operation's operationId defaults to "<Controller>.<method>" with the
// method name's first letter lowered ("TodoController.findByID"), its tags
// to ["<Controller>"], and its interceptor target to the operationId.
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

func (cr *ControllerRoutes) register(method, path string, op *openapi.Operation, build func(*Server) (*compiled, error), cfg opConfig, fn any) {
	var ccfg opConfig
	for _, o := range cr.opts {
		o(&ccfg)
	}
	cfg.hidden = cfg.hidden || ccfg.hidden
	cfg.interceptors = append(slices.Clip(ccfg.interceptors), cfg.interceptors...)
	cfg.edit = append(slices.Clip(ccfg.edit), cfg.edit...)
	methodName := funcName(fn)
	if methodName == "" {
		methodName = strings.ToLower(method) + path
	}
	op.OperationID = cfg.id
	if op.OperationID == "" {
		op.OperationID = cr.name + "." + methodName
	}
	op.Tags = append(op.Tags, cr.name)
	op.Extensions = map[string]any{"x-controller-name": cr.name, "x-operation-name": methodName}
	cfg.target = cr.name + "." + methodName
	if err := cr.s.registerTyped(method, path, op, build, cfg); err != nil {
		panic("rest: " + err.Error())
	}
}
