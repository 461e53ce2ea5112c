package resttest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
	"github.com/loopback-go/lb/rest/resttest"
)

// recorder records failures instead of failing the test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

type note struct {
	Text string `json:"text" minLength:"1"`
}

type noteIn struct {
	ID int64 `path:"id"`
}

func newServer() *rest.Server {
	s := rest.New(rest.Config{})
	rest.Get(s, "/notes/{id}", func(_ context.Context, in *noteIn) (*note, error) {
		if in.ID != 1 {
			return nil, fault.New(fault.NotFound, "ENTITY_NOT_FOUND", "no note")
		}
		return &note{Text: "hi"}, nil
	})
	rest.Post(s, "/notes", func(_ context.Context, in *struct{ Body note }) (*note, error) { return &in.Body, nil })
	return s
}

func TestChecksPass(t *testing.T) {
	c := resttest.New(t, newServer())
	c.Get("/notes/1").Expect(200).ExpectHeader("Content-Type", "application/json").ExpectJSON(`{ "text": "hi" }`).ExpectBody(`{"text":"hi"}`)
	e := c.Get("/notes/2").ExpectError(404, "ENTITY_NOT_FOUND")
	if e.Message != "no note" || e.Name != "NotFoundError" {
		t.Errorf("error: got %+v", e)
	}
	var n note
	c.Post("/notes", note{Text: "x"}).Expect(200).JSON(&n)
	if n.Text != "x" {
		t.Errorf("decoded: got %+v", n)
	}
	v := c.Post("/notes", `{"text":""}`).ExpectError(422, "VALIDATION_FAILED")
	if !strings.Contains(string(v.Details), `"code":"minLength"`) {
		t.Errorf("details: got %s", v.Details)
	}
	c.WithHeader("Content-Type", "text/plain").Post("/notes", "x").ExpectError(415, "UNSUPPORTED_MEDIA_TYPE")
}

func TestChecksFail(t *testing.T) {
	rec := &recorder{TB: t}
	c := resttest.New(rec, newServer())
	c.Get("/notes/1").Expect(201).ExpectHeader("X-Nope", "1").ExpectJSON(`{"text":"bye"}`).ExpectBody("x")
	c.Get("/notes/1").ExpectError(404, "")
	wants := []string{"status: got 200; want 201", `header X-Nope: got ""; want "1"`, "body:", "body:",
		"status: got 200; want 404", "want a LoopBack error body"}
	if len(rec.errs) != len(wants) {
		t.Fatalf("failures: got %d %q; want %d", len(rec.errs), rec.errs, len(wants))
	}
	for i, want := range wants {
		if !strings.Contains(rec.errs[i], want) {
			t.Errorf("failure %d: got %q; want it to contain %q", i, rec.errs[i], want)
		}
	}
}

// TestNewValidatesTheServer: New reports a schema of the server that does
// not compile, though no request needs it.
func TestNewValidatesTheServer(t *testing.T) {
	s := newServer()
	op := &openapi.Operation{Parameters: []*openapi.Parameter{{Name: "q", In: "query",
		Schema: &openapi.Schema{Type: openapi.Types{"string"}, Pattern: "(["}}}}
	if err := s.AddRoute("GET", "/bad", op, func(context.Context, *rest.Request) (any, error) { return nil, nil }); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{TB: t}
	resttest.New(rec, s)
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], `resttest: rest: GET /bad: parameter "q": validate: invalid schema`) {
		t.Errorf("failures: got %q; want the broken pattern of GET /bad", rec.errs)
	}
	rec = &recorder{TB: t}
	resttest.New(rec, newServer())
	if len(rec.errs) != 0 {
		t.Errorf("a server whose schemas compile: got failures %q", rec.errs)
	}
}
