package rest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/rest"
)

type thingID struct {
	ID int64 `path:"id"`
}

func findThing(_ context.Context, in *thingID) (*string, error)   { s := "thing"; return &s, nil }
func lookUpThing(_ context.Context, in *thingID) (*string, error) { s := "thing"; return &s, nil }

type thingController struct {
	h func(context.Context, *thingID) (*string, error)
}

func (c thingController) Routes(r *rest.ControllerRoutes) {
	rest.Get(r, "/ctl/things/{id}", c.h)
	rest.Delete(r, "/ctl/things/{id}", c.h, rest.OperationID("deleteById"))
}

func (thingController) ControllerName() string { return "ThingController" }

// TestOperationIDIgnoresGoNames registers the same API with handlers of
// different Go names: the operationIds must not change.
func TestOperationIDIgnoresGoNames(t *testing.T) {
	ids := func(h func(context.Context, *thingID) (*string, error)) []string {
		s := rest.New(rest.Config{})
		rest.Get(s, "/things/{id}", h)
		rest.Put(s, "/things/{id}", h, rest.OperationID("replaceThing"))
		s.Controller(thingController{h})
		var out []string
		for _, r := range s.Routes() {
			out = append(out, r.Method+" "+r.Path+" "+r.OperationID)
		}
		return out
	}
	a, b := ids(findThing), ids(lookUpThing)
	want := []string{
		"GET /things/{id} getThingsId",
		"PUT /things/{id} replaceThing",
		"GET /ctl/things/{id} ThingController.getCtlThingsId",
		"DELETE /ctl/things/{id} ThingController.deleteById",
	}
	if strings.Join(a, "|") != strings.Join(want, "|") {
		t.Errorf("got %q; want %q", a, want)
	}
	if strings.Join(a, "|") != strings.Join(b, "|") {
		t.Errorf("renaming the handler changed the operationIds: %q then %q", a, b)
	}
}

func TestControllerTagsAndTagsOption(t *testing.T) {
	s := rest.New(rest.Config{})
	s.Controller(thingController{findThing})
	rest.Get(s, "/things/{id}", findThing, rest.Tags("things"))
	doc := s.Document()
	ctl := doc.Paths["/ctl/things/{id}"].Delete
	if strings.Join(ctl.Tags, ",") != "ThingController" || ctl.Extensions["x-operation-name"] != "deleteById" {
		t.Errorf("controller operation: got tags %v, extensions %v; want ThingController, deleteById", ctl.Tags, ctl.Extensions)
	}
	if got := doc.Paths["/things/{id}"].Get.Tags; strings.Join(got, ",") != "things" {
		t.Errorf("Tags option: got %v; want [things]", got)
	}
}

type noteBody struct {
	Text string `json:"text" required:"true"`
}

type createNote struct {
	Body noteBody
}

type accepted struct {
	Status   int
	Location string `header:"Location"`
}

func TestDefaultStatus(t *testing.T) {
	s := rest.New(rest.Config{})
	rest.Post(s, "/notes", func(_ context.Context, in *createNote) (*noteBody, error) {
		return &in.Body, nil
	}, rest.DefaultStatus(http.StatusCreated))
	rest.Post(s, "/jobs", func(context.Context, *struct{}) (*accepted, error) {
		return &accepted{Location: "/jobs/1"}, nil
	}, rest.DefaultStatus(http.StatusAccepted))
	rest.Post(s, "/moved", func(context.Context, *struct{}) (*accepted, error) {
		return &accepted{Status: http.StatusSeeOther, Location: "/jobs/1"}, nil
	}, rest.DefaultStatus(http.StatusAccepted))
	doc := s.Document()
	for path, want := range map[string]string{"/notes": "201", "/jobs": "202"} {
		op := doc.Paths[path].Post
		if _, ok := op.Responses[want]; !ok || len(op.Responses) != 1 {
			t.Errorf("%s: got responses %v; want only %s", path, op.Responses, want)
		}
	}
	if got := doc.Paths["/jobs"].Post.Responses["202"].Description; got != "Accepted" {
		t.Errorf("202 description: got %q; want Accepted", got)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, tc := range []struct {
		path, body string
		status     int
	}{
		{"/notes", `{"text":"x"}`, 201},
		{"/notes", `{}`, 422}, // required:"true" is enforced
		{"/jobs", ``, 202},
		{"/moved", ``, 303},
	} {
		client := srv.Client()
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		res, err := client.Post(srv.URL+tc.path, "application/json", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("POST %s %s: got %d; want %d", tc.path, tc.body, res.StatusCode, tc.status)
		}
	}
}

// registrationPanic registers with fn and returns the panic's text.
func registrationPanic(fn func()) (msg string) {
	defer func() { msg, _ = recover().(string) }()
	fn()
	return ""
}

type badLimit struct {
	Limit int `query:"limit" minimum:"one"`
}

type badBody struct {
	Body struct {
		Title string `json:"title" maxLength:"x"`
	}
}

type badModel struct {
	ID    int64  `json:"id" lb:"id"`
	Title string `json:"title" lb:"required"`
}

func TestBadTagsAreRegistrationErrors(t *testing.T) {
	s := rest.New(rest.Config{})
	for _, tc := range []struct {
		name string
		fn   func()
		want string
	}{
		{"parameter", func() {
			rest.Get(s, "/a", func(context.Context, *badLimit) (*string, error) { return nil, nil })
		}, `rest: GET /a: openapi: badLimit.Limit: tag minimum="one": not a number`},
		{"body", func() {
			rest.Post(s, "/b", func(context.Context, *badBody) (*string, error) { return nil, nil })
		}, `tag maxLength="x": not a non-negative integer`},
		{"model", func() {
			rest.Get(s, "/c", func(context.Context, *struct{}) (*badModel, error) { return nil, nil })
		}, `property "title": required is not an lb option: use the schema tag required:"true"`},
		{"status", func() {
			rest.Get(s, "/d", func(context.Context, *struct{}) (*string, error) { return nil, nil }, rest.DefaultStatus(42))
		}, `DefaultStatus(42) is not an HTTP status`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := registrationPanic(tc.fn); !strings.Contains(got, tc.want) {
				t.Errorf("got %q; want it to contain %q", got, tc.want)
			}
		})
	}
	if n := len(s.Routes()); n != 0 {
		t.Errorf("got %d routes after failed registrations; want 0", n)
	}
}

// A model with a navigational relation, and its related model.
type Shelf struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Name  string `json:"name" required:"true"`
	Books []Book `json:"books,omitempty" lb:"hasMany,target=Book"`
}

type Book struct {
	ID      int64  `json:"id" lb:"id,generated"`
	Title   string `json:"title" required:"true" maxLength:"80"`
	ShelfID int64  `json:"shelfId,omitempty" lb:"belongsTo,target=Shelf"`
	Secret  string `json:"secret,omitempty" lb:"hidden"`
	Shelf   *Shelf `json:"shelf,omitempty" lb:"belongsTo"`
}

type bookBody struct {
	Body Book
}

func TestModelTypesAreDescribedByTheirDefinition(t *testing.T) {
	s := rest.New(rest.Config{})
	rest.Post(s, "/books", func(_ context.Context, in *bookBody) (*Book, error) { return &in.Body, nil })
	rest.Get(s, "/books", func(context.Context, *struct{}) (*[]Book, error) { return &[]Book{}, nil })
	doc := s.Document()
	post := doc.Paths["/books"].Post
	if got := post.RequestBody.Content["application/json"].Schema.Ref; got != "#/components/schemas/Book" {
		t.Errorf("request body: got %q; want the Book component", got)
	}
	if got := post.Responses["200"].Content["application/json"].Schema.Ref; got != "#/components/schemas/BookWithRelations" {
		t.Errorf("response: got %q; want BookWithRelations: a Book can carry its shelf", got)
	}
	list := doc.Paths["/books"].Get.Responses["200"].Content["application/json"].Schema
	if !list.Type.Has("array") || list.Items.Ref != "#/components/schemas/BookWithRelations" {
		t.Errorf("[]Book response: got %+v; want an array of BookWithRelations", list)
	}
	book := model.MustFromStruct[Book]()
	shelf := model.MustFromStruct[Shelf]()
	reg := &model.Registry{}
	if err := reg.Add(book, shelf); err != nil {
		t.Fatal(err)
	}
	comps, err := model.Components(book, reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Book", "BookWithRelations", "Shelf", "ShelfWithRelations"} {
		got, _ := json.Marshal(doc.Components.Schemas[name])
		want, _ := json.Marshal(comps[name])
		if string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
	// The WithRelations schema is a response schema: hidden properties are
	// not in it; the request schema keeps them.
	if _, ok := doc.Components.Schemas["BookWithRelations"].Properties["secret"]; ok {
		t.Errorf("BookWithRelations has the hidden property secret")
	}
	if _, ok := doc.Components.Schemas["Book"].Properties["secret"]; !ok {
		t.Errorf("Book has no secret; request schemas keep hidden properties")
	}
}
