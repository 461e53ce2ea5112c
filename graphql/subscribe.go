package graphql

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/internal/jsonw"
)

// subscription is a validated subscription operation, ready to run: the
// options of its bus subscription and the plan of each event's result.
type subscription struct {
	h    *Handler
	mt   *modelType
	opts events.Options
	// prefix is `{"data":{"key":`, the start of every result.
	prefix []byte
	// fields are the selected fields of the change type, in order.
	fields []changeField
	// include reads the instance again with the relations selected below
	// instance; nil when none is.
	include *filter.Filter
}

// changeField is a selected field of a change type (TodoChange).
type changeField struct {
	prefix []byte // `"key":`
	name   string
	plan   *plan // for instance
}

// subscribe prepares the subscription operation op: its variables, the
// where and kinds arguments (a bad where is a field error), the
// restriction Authorize returns (ownership, applied to each event) and the
// selection of the change type.
func (h *Handler) subscribe(ctx context.Context, op *ast.OperationDefinition, raw map[string]any) (*subscription, *Response) {
	vars, resp := h.variables(op, raw)
	if resp != nil {
		return nil, resp
	}
	e := &executor{h: h, vars: vars}
	groups, err := e.collect(op.SelectionSet)
	if err == nil && len(groups) != 1 {
		err = badRequest("a subscription selects exactly one field")
	}
	if err != nil {
		return nil, &Response{Status: 400, Errors: []Error{h.fieldError(ctx, err, "", nil)}}
	}
	g := groups[0]
	fd := g.fields[0]
	fail := func(err error) (*subscription, *Response) {
		return nil, &Response{Status: 400, Errors: []Error{h.fieldError(ctx, err, g.key, fd.Position)}}
	}
	mt := h.subs[fd.Name]
	if mt == nil || h.cfg.Bus == nil {
		return fail(badRequest("field %s is not served", fd.Name))
	}
	args, err := e.args(fd)
	if err != nil {
		return fail(err)
	}
	var w *filter.Where
	switch x := args["where"].(type) {
	case nil:
	case string:
		w, err = filter.ParseWhereJSON([]byte(x))
	default:
		w, err = filter.WhereFromValue(x)
	}
	if err != nil {
		return fail(err)
	}
	if e.h.cfg.Authorize != nil {
		own, err := e.h.cfg.Authorize(ctx, &Operation{Model: mt.def.Name, Name: "find", Subscription: true})
		if err != nil {
			return fail(err)
		}
		w = and(w, own)
	}
	if w != nil {
		// Validation checks the properties and coerces the values to
		// their types, as the repository does for a find; the bus matches
		// the instances with the compiled where.
		if err := w.Validate(mt.def); err != nil {
			return fail(err)
		}
		if _, err := filter.Compile(w); err != nil {
			return fail(err)
		}
	}
	s := &subscription{h: h, mt: mt, opts: events.Options{Models: []string{mt.def.Name}, Where: w, Buffer: h.cfg.SubscriptionBuffer}}
	if ks, ok := args["kinds"].([]any); ok {
		kinds := map[events.Kind]bool{}
		for _, k := range ks {
			if k, ok := k.(string); ok {
				kinds[events.Kind(strings.ToLower(k))] = true
			}
		}
		s.opts.Match = func(ev events.Event) bool { return kinds[ev.Kind] }
	}
	s.prefix = append(jsonw.AppendString([]byte(`{"data":{`), g.key), ':')
	cgroups, err := e.collect(merged(g.fields))
	if err != nil {
		return fail(err)
	}
	for _, cg := range cgroups {
		cf := changeField{prefix: append(jsonw.AppendString(nil, cg.key), ':'), name: cg.fields[0].Name}
		if cf.name == "instance" {
			set := merged(cg.fields)
			if cf.plan, err = e.compile(mt, set); err != nil {
				return fail(err)
			}
			f, err := e.filterFor(mt, nil, set, 0)
			if err != nil {
				return fail(err)
			}
			if len(f.Include) > 0 {
				s.include = f
			}
		}
		s.fields = append(s.fields, cf)
	}
	return s, nil
}

// appendResult appends the GraphQL result of ev: {"data":{"todoChanged":
// {…}}}. When relations are selected below instance, the instance is read
// again with them (for a delete, or an instance deleted since, the
// relations are empty); a failing read is an error of the result, logged.
func (s *subscription) appendResult(ctx context.Context, b []byte, ev events.Event) []byte {
	rec := ev.Instance
	if s.include != nil && ev.Kind != events.Deleted {
		r, err := s.mt.repo.FindByID(ctx, ev.ID, s.include)
		switch {
		case err == nil:
			rec = r
		case !errors.Is(err, fault.NotFound):
			return s.appendError(ctx, b, err)
		}
	}
	start := len(b)
	b = append(b, s.prefix...)
	b = append(b, '{')
	for i, f := range s.fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, f.prefix...)
		var err error
		switch f.name {
		case "__typename":
			b = jsonw.AppendString(b, s.mt.def.Name+"Change")
		case "kind":
			b = jsonw.AppendString(b, strings.ToUpper(string(ev.Kind)))
		case "id":
			b, err = appendLeaf(b, ev.ID)
		case "seq":
			b = strconv.AppendUint(b, ev.Seq, 10)
		case "changed":
			b = append(b, '[')
			for i, c := range ev.Changed {
				if i > 0 {
					b = append(b, ',')
				}
				b = jsonw.AppendString(b, c)
			}
			b = append(b, ']')
		case "time":
			b = append(b, '"')
			b = ev.Time.UTC().AppendFormat(b, time.RFC3339Nano)
			b = append(b, '"')
		case "instance":
			b, err = f.plan.appendJSON(b, rec)
		default:
			b = append(b, "null"...)
		}
		if err != nil {
			return s.appendError(ctx, b[:start], err)
		}
	}
	return append(b, "}}}"...)
}

// appendError appends a result whose data is null for an event that could
// not be written.
func (s *subscription) appendError(ctx context.Context, b []byte, err error) []byte {
	resp := &Response{Status: 200, Errors: []Error{s.h.fieldError(ctx, err, "", nil)}}
	out, jerr := resp.AppendJSON(b)
	if jerr != nil {
		return append(b, `{"errors":[{"message":"Internal Server Error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":null}`...)
	}
	return out
}

// The errors ending an operation of a connection.
var (
	// errSlow ends a subscription whose client did not keep up.
	errSlow = Error{Message: "the client did not keep up with the changes: subscription dropped",
		Extensions: map[string]any{"code": "SLOW_CONSUMER"}}
	// errTooMany refuses an operation beyond Config.MaxSubscriptions.
	errTooMany = Error{Message: "too many operations on this connection",
		Extensions: map[string]any{"code": "TOO_MANY_SUBSCRIPTIONS"}}
)
