package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// Owner is an ownership voter for the CRUD API of a model whose instances
// have an owner property (crud.Mount): a user reads and changes only the
// instances they own.
//
//   - An operation on one instance ({id} in its path: find by id,
//     update, replace, delete) is allowed when the instance's owner
//     property equals the user's ID, denied (403) when it does not; a
//     missing instance is left to the operation (404).
//   - An operation on many (find, count, update all) is allowed with the
//     owner condition added to its `filter` or `where` parameter as
//     {"and": [{<Property>: <user>}, <the client's where>]} (JSON text) or
//     as a <Property> key beside the client's conditions (the nested
//     query-string form, whose own conditions on <Property> are dropped),
//     so the client's conditions can only narrow the result. It rewrites
//     the request's query string for that; a query it cannot rewrite
//     safely (both forms at once, dotted keys) is denied.
//   - Other operations (create) abstain: set the owner property in the
//     handler or an interceptor.
//
// Operations whose path does not start with BasePath abstain.
type Owner struct {
	// BasePath is the model's API ("/todos").
	BasePath string
	// Property is the owner property ("ownerId").
	Property string
	// Model reads an instance's owner for operations on one instance.
	Model *repository.Model
	// IDParam is the path parameter of the instance id; "" means "id".
	IDParam string
	// Of returns the owner value of a profile; nil means its ID.
	Of func(p *Profile) any
}

// Authorize implements Authorizer.
func (o *Owner) Authorize(c *Context) (Decision, error) {
	path := c.Operation.Path
	if path != o.BasePath && !strings.HasPrefix(path, o.BasePath+"/") {
		return Abstain, nil
	}
	var me any = c.Profile.ID
	if o.Of != nil {
		me = o.Of(c.Profile)
	}
	idParam := o.IDParam
	if idParam == "" {
		idParam = "id"
	}
	if strings.Contains(path, "{"+idParam+"}") {
		id, ok := rest.PathParams(c.Request.Context())[idParam]
		if !ok {
			return Deny, nil
		}
		rec, err := o.Model.FindByID(c.Request.Context(), id, nil)
		if errors.Is(err, fault.NotFound) || errors.Is(err, fault.BadRequest) {
			return Abstain, nil // the operation answers 404 or 400 itself
		}
		if err != nil {
			return Deny, fmt.Errorf("owner of %s %s: %w", o.Model.Definition().Name, id, err)
		}
		if fmt.Sprint(rec[o.Property]) == fmt.Sprint(me) && rec[o.Property] != nil {
			return Allow, nil
		}
		return Deny, nil
	}
	param := ""
	for _, p := range c.Operation.Operation.Parameters {
		if p.In == "query" && (p.Name == "filter" || p.Name == "where") {
			param = p.Name
		}
	}
	if param == "" {
		return Abstain, nil
	}
	q, err := url.ParseQuery(c.Request.URL.RawQuery)
	if err != nil {
		return Deny, nil
	}
	if err := o.restrict(q, param, me); err != nil {
		return Deny, nil
	}
	c.Request.URL.RawQuery = q.Encode()
	return Allow, nil
}

var errAmbiguous = errors.New("auth: both forms of a filter parameter")

// restrict adds the owner condition to the filter or where parameter.
func (o *Owner) restrict(q url.Values, param string, me any) error {
	base := "where"
	if param == "filter" {
		base = "filter[where]"
	}
	var keys []string
	for k := range q {
		if strings.HasPrefix(k, param+"[") || strings.HasPrefix(k, param+".") {
			keys = append(keys, k)
		}
	}
	own := map[string]any{o.Property: me}
	if text := q.Get(param); text != "" {
		if len(keys) > 0 {
			return errAmbiguous
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(text), &v); err != nil {
			return err
		}
		if param == "filter" {
			v["where"] = and(own, v["where"])
		} else {
			v = and(own, v)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		q.Set(param, string(b))
		return nil
	}
	q.Del(param)
	ownKey := base + "[" + o.Property + "]"
	for _, k := range keys {
		if !wellFormed(k[len(param):]) {
			return errAmbiguous // a key the query-string parser reads some other way
		}
		if param == "filter" && strings.HasPrefix(k, "filter[") && !strings.HasPrefix(k, "filter[where") {
			continue // fields, order, limit …
		}
		if !strings.HasPrefix(k, base+"[") {
			return errAmbiguous // a form not rewritten here (dotted keys, a where given as text): refused
		}
		if k == ownKey || strings.HasPrefix(k, ownKey+"[") {
			delete(q, k) // the client's own conditions on the owner give way to the owner's
		}
	}
	// A sibling of the client's conditions: the where object ANDs its
	// keys, and nothing gets nested deeper than the client sent it
	// (the query-string parser stops at depth 5).
	q.Set(ownKey, fmt.Sprint(me))
	return nil
}

// wellFormed reports whether s is a sequence of [segment]s with no
// brackets inside a segment: the keys the query-string parser nests
// exactly as written.
func wellFormed(s string) bool {
	if s == "" {
		return false
	}
	for s != "" {
		if s[0] != '[' {
			return false
		}
		end := strings.IndexByte(s, ']')
		if end < 0 || strings.IndexByte(s[1:end], '[') >= 0 {
			return false
		}
		s = s[end+1:]
	}
	return true
}

func and(own map[string]any, where any) map[string]any {
	if w, ok := where.(map[string]any); !ok || len(w) == 0 {
		return own
	}
	return map[string]any{"and": []any{own, where}}
}
