package filter

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/internal/qs"
	"github.com/loopback-go/lb/model"
)

func todoDef(t testing.TB) *model.Definition {
	t.Helper()
	d, err := model.Parse([]byte(`{
	  "name": "Todo",
	  "properties": {
	    "id": {"type": "number", "id": true, "generated": true},
	    "count": "integer",
	    "title": {"type": "string", "required": true},
	    "isComplete": "boolean",
	    "dueAt": "date",
	    "tags": ["string"],
	    "address": {"type": "object", "properties": {"city": "string", "zip": "integer"}},
	    "meta": "object",
	    "tag": "any",
	    "secret": {"type": "string", "hidden": true},
	    "todoListId": "number"
	  },
	  "relations": {"todoList": {"type": "belongsTo", "model": "TodoList"}}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestValidateCoerces(t *testing.T) {
	d := todoDef(t)
	due := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		query string
		want  []Cond
	}{
		{"filter[where][id]=1", []Cond{{Path: "id", Op: Eq, Value: 1.0}}},
		{"filter[where][count]=7", []Cond{{Path: "count", Op: Eq, Value: int64(7)}}},
		{"filter[where][count][gt]=1.5", []Cond{{Path: "count", Op: Gt, Value: 1.5}}},
		{"filter[where][isComplete]=false", []Cond{{Path: "isComplete", Op: Eq, Value: false}}},
		{"filter[where][isComplete]=TRUE", []Cond{{Path: "isComplete", Op: Eq, Value: true}}},
		{"filter[where][dueAt][lt]=2026-01-02T03:04:05Z", []Cond{{Path: "dueAt", Op: Lt, Value: due}}},
		{"filter[where][id][inq]=1&filter[where][id][inq]=2", []Cond{{Path: "id", Op: Inq, Value: []any{1.0, 2.0}}}},
		{"filter[where][id][inq]=1", []Cond{{Path: "id", Op: Inq, Value: []any{1.0}}}},
		{"filter[where][id]=1&filter[where][id]=2", []Cond{{Path: "id", Op: Inq, Value: []any{1.0, 2.0}}}},
		{"filter[where][id][between][0]=1&filter[where][id][between][1]=5", []Cond{{Path: "id", Op: Between, Value: []any{1.0, 5.0}}}},
		{"filter[where][title]=42", []Cond{{Path: "title", Op: Eq, Value: "42"}}},
		{"filter[where][tags]=red", []Cond{{Path: "tags", Op: Eq, Value: "red"}}},
		{"filter[where][address.zip]=75001", []Cond{{Path: "address.zip", Op: Eq, Value: int64(75001)}}},
		{"filter[where][meta.any.path]=x", []Cond{{Path: "meta.any.path", Op: Eq, Value: "x"}}},
		{"filter[where][tag.x]=1", []Cond{{Path: "tag.x", Op: Eq, Value: "1"}}},
		{"filter[where][title][exists]=true", []Cond{{Path: "title", Op: Exists, Value: true}}},
		{"filter[where][title][like]=a%25", []Cond{{Path: "title", Op: Like, Value: "a%"}}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			v, _ := url.ParseQuery(tt.query)
			f, err := FromValue(qs.Parse(v)["filter"])
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Validate(d); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(f.Where.Conds, tt.want) {
				t.Errorf("got %#v; want %#v", f.Where.Conds, tt.want)
			}
		})
	}
}

func TestValidateJSONNumbers(t *testing.T) {
	d := todoDef(t)
	f, err := ParseJSON([]byte(`{"where":{"id":1,"count":{"lte":3},"or":[{"title":{"regexp":"/^a/i"}}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Validate(d); err != nil {
		t.Fatal(err)
	}
	if got := f.Where.Conds[0].Value; got != int64(3) {
		t.Errorf("count = %#v; want int64(3)", got)
	}
	if got := f.Where.Conds[1].Value; got != 1.0 {
		t.Errorf("id = %#v; want float64(1)", got)
	}
	if _, ok := f.Where.Or[0].Conds[0].Value.(*RegexpValue); !ok {
		t.Errorf("regexp value = %#v", f.Where.Or[0].Conds[0].Value)
	}
	if !Match(f.Where, map[string]any{"id": int64(1), "count": int64(2), "title": "Abc"}) {
		t.Errorf("validated filter does not match")
	}
}

func TestValidateErrors(t *testing.T) {
	d := todoDef(t)
	tests := []struct {
		filter, code, msg string
	}{
		{`{"where":{"foo":1}}`, CodeInvalid, `Invalid filter: where.foo unknown property "foo" of model Todo.`},
		{`{"where":{"or":[{"title":"x"},{"nope":1}]}}`, CodeInvalid, `Invalid filter: where.or.1.nope unknown property "nope" of model Todo.`},
		{`{"where":{"address.country":"FR"}}`, CodeInvalid, `unknown property "address.country"`},
		{`{"where":{"title.x":"y"}}`, CodeInvalid, `unknown property "title.x"`},
		{`{"where":{"secret":"x"}}`, CodeInvalid, `unknown property "secret"`},
		{`{"where":{"id":"abc"}}`, CodeInvalid, `Invalid filter: where.id must be number.`},
		{`{"where":{"count":{"inq":[1,"x"]}}}`, CodeInvalid, `where.count.inq.1 must be integer`},
		{`{"where":{"isComplete":"maybe"}}`, CodeInvalid, `where.isComplete must be boolean`},
		{`{"where":{"dueAt":{"gt":"yesterday"}}}`, CodeInvalid, `where.dueAt.gt must be a date (RFC 3339)`},
		{`{"where":{"title":{"lik":"x"}}}`, CodeInvalid, `where.title.lik unknown operator "lik"`},
		{`{"where":{"isComplete":{"like":"t%"}}}`, CodeInvalid, `where.isComplete.like operator like applies to string and integer properties, not to boolean`},
		{`{"where":{"dueAt":{"regexp":"^2026"}}}`, CodeInvalid, `where.dueAt.regexp operator regexp applies to string and integer properties`},
		{`{"where":{"title":"a\u0000b"}}`, CodeInvalid, `where.title must not contain a NUL character`},
		{`{"where":{"title":{"ilike":"%\u0000"}}}`, CodeInvalid, `where.title.ilike must not contain a NUL character`},
		{`{"fields":["title","nope"]}`, CodeInvalid, `Invalid filter: fields unknown property "nope" of model Todo.`},
		{`{"fields":{"secret":true}}`, CodeInvalid, `unknown property "secret"`},
		{`{"order":"nope DESC"}`, CodeInvalid, `Invalid filter: order.0 unknown property "nope" of model Todo.`},
		{`{"include":["foo"]}`, CodeInvalidInclusion, `Invalid "filter.include" entries: "foo"`},
		{`{"include":[{"relation":"foo"},"bar","todoList"]}`, CodeInvalidInclusion, `Invalid "filter.include" entries: {"relation":"foo"}; "bar"`},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			f, err := ParseJSON([]byte(tt.filter))
			if err != nil {
				t.Fatal(err)
			}
			err = f.Validate(d)
			var fe *fault.Error
			if !errors.As(err, &fe) || fe.Kind != fault.BadRequest || fe.Code != tt.code {
				t.Fatalf("got %v; want a BadRequest %s", err, tt.code)
			}
			if !strings.Contains(fe.Message, tt.msg) {
				t.Errorf("got %q; want it to contain %q", fe.Message, tt.msg)
			}
		})
	}
}

func TestValidateOptions(t *testing.T) {
	d := todoDef(t)
	f, _ := ParseJSON([]byte(`{"where":{"secret":"x"},"order":"secret"}`))
	if err := f.ValidateWith(d, ValidateOptions{AllowHidden: true}); err != nil {
		t.Errorf("AllowHidden: %v", err)
	}

	lax, err := model.Parse([]byte(`{"name":"Lax","properties":{"id":{"type":"number","id":true}},"settings":{"strict":false}}`))
	if err != nil {
		t.Fatal(err)
	}
	f, _ = ParseJSON([]byte(`{"where":{"anything.below":"1"},"fields":["free"],"order":"other"}`))
	if err := f.Validate(lax); err != nil {
		t.Errorf("non-strict model: %v", err)
	}
	if f.Where.Conds[0].Value != "1" {
		t.Errorf("free-form value coerced to %#v", f.Where.Conds[0].Value)
	}

	list, err := model.Parse([]byte(`{"name":"TodoList","properties":{"id":{"type":"number","id":true},"title":"string"},"relations":{"todos":{"type":"hasMany","model":"Todo"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	var reg model.Registry
	if err := reg.Add(d, list); err != nil {
		t.Fatal(err)
	}
	f, _ = ParseJSON([]byte(`{"include":[{"relation":"todos","scope":{"where":{"count":"2"}}}]}`))
	if err := f.ValidateWith(list, ValidateOptions{Registry: &reg}); err != nil {
		t.Fatal(err)
	}
	if got := f.Include[0].Scope.Where.Conds[0].Value; got != int64(2) {
		t.Errorf("scope value = %#v; want int64(2)", got)
	}
	f, _ = ParseJSON([]byte(`{"include":[{"relation":"todos","scope":{"where":{"nope":1}}}]}`))
	if err := f.ValidateWith(list, ValidateOptions{Registry: &reg}); err == nil || !strings.Contains(err.Error(), `unknown property "nope" of model Todo`) {
		t.Errorf("scope error = %v", err)
	}
}

func TestCheckLeavesInputAlone(t *testing.T) {
	d := todoDef(t)
	f, _ := ParseJSON([]byte(`{"where":{"id":"1"}}`))
	c, err := Check(f, d, ValidateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Where.Conds[0].Value != "1" || c.Where.Conds[0].Value != 1.0 {
		t.Errorf("input %#v, copy %#v", f.Where.Conds[0].Value, c.Where.Conds[0].Value)
	}
}

func TestWhereValidate(t *testing.T) {
	d := todoDef(t)
	w, err := WhereFromValue(map[string]any{"isComplete": "true"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Validate(d); err != nil {
		t.Fatal(err)
	}
	if w.Conds[0].Value != true {
		t.Errorf("got %#v", w.Conds[0].Value)
	}
	w, _ = WhereFromValue(map[string]any{"x": "1"})
	if err := w.Validate(d); err == nil || !strings.Contains(err.Error(), `Invalid filter: x unknown property "x"`) {
		t.Errorf("got %v", err)
	}
}
