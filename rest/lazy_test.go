package rest_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

type lazyQuery struct {
	Limit int    `query:"limit" minimum:"1" maximum:"100"`
	Sort  string `query:"sort" enum:"asc,desc"`
}

// lazyServer registers the same routes on a server with the given config:
// constrained query parameters, a JSON parameter, a body $ref to a
// component, and typed operations.
func lazyServer(t *testing.T, cfg rest.Config) *rest.Server {
	t.Helper()
	cfg.Logger = discard()
	s := rest.New(cfg)
	s.AddSchema("Note", &openapi.Schema{Type: openapi.Types{"object"}, Required: []string{"title"},
		Properties: map[string]*openapi.Schema{
			"title": {Type: openapi.Types{"string"}, MinLength: new(2), Pattern: "^[a-z ]+$"},
			"score": {Type: openapi.Types{"integer"}, Minimum: new(float64(0))},
		},
		AdditionalProperties: &openapi.Schema{Not: &openapi.Schema{}}})
	echo := func(_ context.Context, r *rest.Request) (any, error) {
		return map[string]any{"params": r.Params, "body": r.Body}, nil
	}
	op := &openapi.Operation{
		Parameters: []*openapi.Parameter{
			{Name: "n", In: "query", Schema: &openapi.Schema{Type: openapi.Types{"integer"}, Maximum: new(float64(9))}},
			{Name: "where", In: "query", Content: map[string]*openapi.MediaType{"application/json": {
				Schema: &openapi.Schema{Type: openapi.Types{"object"}, Properties: map[string]*openapi.Schema{"a": {Type: openapi.Types{"string"}}}}}}},
		},
		RequestBody: &openapi.RequestBody{Content: map[string]*openapi.MediaType{"application/json": {
			Schema: &openapi.Schema{Ref: "#/components/schemas/Note"}}}},
	}
	if err := s.AddRoute("POST", "/notes", op, echo); err != nil {
		t.Fatal(err)
	}
	rest.Get(s, "/books", func(_ context.Context, q *lazyQuery) (*lazyQuery, error) { return q, nil })
	rest.Post(s, "/books", func(_ context.Context, in *bookBody) (*Book, error) { return &in.Body, nil })
	return s
}

// TestLazyValidatorsAnswerAsEagerOnes sends the same valid and invalid
// requests to a server whose validators are compiled on first use and to
// one that compiled them at registration: every answer is byte for byte
// the same, and Validate finds nothing wrong.
func TestLazyValidatorsAnswerAsEagerOnes(t *testing.T) {
	lazy := lazyServer(t, rest.Config{})
	eager := lazyServer(t, rest.Config{EagerValidators: true})
	requests := []struct{ method, target, body string }{
		{"POST", "/notes", `{"title":"hello"}`},
		{"POST", "/notes", `{"title":"X"}`},
		{"POST", "/notes", `{"score":-1,"extra":true}`},
		{"POST", "/notes", `[]`},
		{"POST", "/notes?n=12", `{"title":"ok go"}`},
		{"POST", "/notes?n=3&where=%7B%22a%22%3A1%7D", `{"title":"ok go"}`},
		{"GET", "/books?limit=0&sort=up", ""},
		{"GET", "/books?limit=5&sort=asc", ""},
		{"POST", "/books", `{"title":"` + strings.Repeat("x", 81) + `"}`},
		{"POST", "/books", `{}`},
		{"POST", "/books", `{"title":"Dune"}`},
	}
	statuses := map[int]bool{}
	for _, r := range requests {
		var got [2]*httptest.ResponseRecorder
		for i, s := range []*rest.Server{lazy, eager} {
			req := httptest.NewRequest(r.method, r.target, strings.NewReader(r.body))
			if r.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			got[i] = httptest.NewRecorder()
			s.ServeHTTP(got[i], req)
		}
		if got[0].Code != got[1].Code || got[0].Body.String() != got[1].Body.String() {
			t.Errorf("%s %s %s:\n lazy  %d %s\n eager %d %s", r.method, r.target, r.body,
				got[0].Code, got[0].Body, got[1].Code, got[1].Body)
		}
		statuses[got[1].Code] = true
	}
	if !statuses[200] || !statuses[422] || !statuses[400] {
		t.Errorf("statuses %v: want 200, 400 and 422 among the answers (the requests test nothing otherwise)", statuses)
	}
	for name, s := range map[string]*rest.Server{"lazy": lazy, "eager": eager} {
		if err := s.Validate(); err != nil {
			t.Errorf("%s: Validate: %v", name, err)
		}
	}
}

// TestLazyBrokenSchema registers routes whose schemas do not compile on a
// server with lazy validators: registration succeeds, the first request
// that needs the validator (and every later one) gets a 500 whose log
// names the parameter or body and the compiler's error, requests that need
// no validation are served, and Validate reports every broken schema with
// its route.
func TestLazyBrokenSchema(t *testing.T) {
	var logs bytes.Buffer
	s := rest.New(rest.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ok := func(context.Context, *rest.Request) (any, error) { return "ok", nil }
	badParam := &openapi.Operation{Parameters: []*openapi.Parameter{
		{Name: "q", In: "query", Schema: &openapi.Schema{Type: openapi.Types{"string"}, Pattern: "(["}}}}
	if err := s.AddRoute("GET", "/bad", badParam, ok); err != nil {
		t.Fatalf("AddRoute with a lazy validator: %v; want nil (compiled on first use)", err)
	}
	badBody := &openapi.Operation{RequestBody: &openapi.RequestBody{Content: map[string]*openapi.MediaType{"application/json": {
		Schema: &openapi.Schema{Ref: "#/components/schemas/Missing"}}}}}
	if err := s.AddRoute("POST", "/bad", badBody, ok); err != nil {
		t.Fatalf("AddRoute with a lazy validator: %v; want nil", err)
	}
	// A component added after the route does not make the reference
	// resolve: the validator sees the components of its registration, as
	// an eagerly compiled one does.
	s.AddSchema("Missing", &openapi.Schema{Type: openapi.Types{"object"}})

	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/bad", nil))
	if w.Code != 200 {
		t.Errorf("GET /bad without q (nothing to validate): got %d %s; want 200", w.Code, w.Body)
	}
	for range 2 {
		w = httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", "/bad?q=x", nil))
		if w.Code != 500 {
			t.Errorf("GET /bad?q=x: got %d %s; want 500", w.Code, w.Body)
		}
	}
	req := httptest.NewRequest("POST", "/bad", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	w = httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != 500 {
		t.Errorf("POST /bad: got %d %s; want 500", w.Code, w.Body)
	}
	for _, want := range []string{
		`the schema of the parameter \"q\" does not compile`,
		`the schema of the request body (application/json) does not compile`,
		`cannot resolve $ref \"#/components/schemas/Missing\"`,
	} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log %s\nwants %s", logs.String(), want)
		}
	}

	err := s.Validate()
	if err == nil {
		t.Fatal("Validate: got nil; want the two broken schemas")
	}
	for _, want := range []string{`rest: GET /bad: parameter "q": validate: invalid schema`,
		`rest: POST /bad: request body (application/json): validate: #: cannot resolve $ref "#/components/schemas/Missing"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: got %v; want it to contain %s", err, want)
		}
	}
}

// TestLazyValidatorConcurrentFirstUse: requests that arrive together at a
// route whose validator is not compiled yet (and requests of the document
// meanwhile) all get the same answers; run with -race, it also shows the
// compilation is safe to race with.
func TestLazyValidatorConcurrentFirstUse(t *testing.T) {
	s := lazyServer(t, rest.Config{})
	const n = 8
	codes := make(chan string, 2*n)
	var wg sync.WaitGroup
	for i := range 2 * n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var req *http.Request
			if i%2 == 0 {
				req = httptest.NewRequest("POST", "/notes", strings.NewReader(`{"title":"X"}`))
				req.Header.Set("Content-Type", "application/json")
			} else {
				req = httptest.NewRequest("GET", "/openapi.json", nil)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			codes <- req.URL.Path + " " + strconv.Itoa(w.Code)
		}()
	}
	wg.Wait()
	close(codes)
	got := map[string]int{}
	for c := range codes {
		got[c]++
	}
	if got["/notes 422"] != n || got["/openapi.json 200"] != n {
		t.Errorf("got %v; want %d × 422 for the invalid note and %d × 200 for the document", got, n, n)
	}
}
