package oasvc_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/internal/validate"
	"github.com/loopback-go/lb/service"
	"github.com/loopback-go/lb/service/oasvc"
)

type Pet struct {
	ID   int64   `json:"id"`
	Name string  `json:"name"`
	Tag  *string `json:"tag,omitempty"`
}

// petstore serves testdata/petstore.yaml at /openapi.yaml and its API
// under /v1; mode "badAnswer" drops the name of answered pets, "busy"
// answers 503, "slow" stops answering.
type petstore struct {
	*httptest.Server
	hits atomic.Int32
	mode atomic.Value
	last atomic.Value // the last request: method, URL, header X-Request-Id, body
}

func newPetstore(t *testing.T) *petstore {
	t.Helper()
	spec, err := os.ReadFile("testdata/petstore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ps := &petstore{}
	ps.mode.Store("")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /openapi.yaml", func(w http.ResponseWriter, r *http.Request) { w.Write(spec) })
	api := http.NewServeMux()
	pet := func(id int64) map[string]any {
		m := map[string]any{"id": id, "name": "Rex"}
		if ps.mode.Load() == "badAnswer" {
			delete(m, "name")
		}
		return m
	}
	api.HandleFunc("GET /v1/pets/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "404" {
			http.Error(w, `{"error":"no such pet"}`, 404)
			return
		}
		json.NewEncoder(w).Encode(pet(7))
	})
	api.HandleFunc("GET /v1/pets", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode([]any{pet(1), pet(2)})
	})
	api.HandleFunc("POST /v1/pets", func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		w.WriteHeader(201)
		out := pet(3)
		out["name"] = in["name"]
		json.NewEncoder(w).Encode(out)
	})
	api.HandleFunc("DELETE /v1/pets/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	mux.Handle("/v1/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ps.hits.Add(1)
		ps.last.Store(r.Method + " " + r.URL.RequestURI() + " " + r.Header.Get("X-Request-Id"))
		switch ps.mode.Load() {
		case "busy":
			http.Error(w, "busy", 503)
			return
		case "slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		api.ServeHTTP(w, r)
	}))
	ps.Server = httptest.NewServer(mux)
	t.Cleanup(ps.Close)
	return ps
}

var fast = service.Policy{Timeout: 2 * time.Second, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

func open(t *testing.T, ps *petstore, validate bool) *oasvc.Service {
	t.Helper()
	s, err := oasvc.Open(context.Background(), ps.URL+"/openapi.yaml", oasvc.Config{Name: "petstore", Policy: fast, ValidateResponses: validate})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func wantFault(t *testing.T, err error, kind fault.Kind, code string) *fault.Error {
	t.Helper()
	fe, ok := errors.AsType[*fault.Error](err)
	if !ok {
		t.Fatalf("got %v (%T); want a *fault.Error of kind %v", err, err, kind)
	}
	if fe.Kind != kind || fe.Code != code {
		t.Errorf("got kind %v code %s (%v); want %v %s", fe.Kind, fe.Code, err, kind, code)
	}
	return fe
}

func TestCalls(t *testing.T) {
	ps := newPetstore(t)
	s := open(t, ps, true)
	if got := strings.Join(s.Operations(), ","); got != "addPet,deletePet,getPetById,listPets" {
		t.Errorf("operations: got %s; want addPet,deletePet,getPetById,listPets (the patch has no operationId)", got)
	}
	ctx := context.Background()
	get := oasvc.MustBind[struct {
		PetID int64 `json:"petId"`
	}, Pet](s, "getPetById")
	p, err := get(ctx, struct {
		PetID int64 `json:"petId"`
	}{7})
	if err != nil || p.ID != 7 || p.Name != "Rex" {
		t.Errorf("getPetById: got (%+v, %v); want pet 7 Rex", p, err)
	}

	type listIn struct {
		Limit int      `json:"limit,omitempty"`
		Tags  []string `json:"tags,omitempty"`
		ReqID string   `json:"X-Request-Id,omitempty"`
	}
	list := oasvc.MustBind[listIn, []Pet](s, "listPets")
	pets, err := list(ctx, listIn{Limit: 10, Tags: []string{"a b", "c"}, ReqID: "r1"})
	if err != nil || len(pets) != 2 {
		t.Fatalf("listPets: got (%v, %v); want 2 pets", pets, err)
	}
	if got := ps.last.Load(); got != "GET /v1/pets?limit=10&tags=a+b&tags=c r1" {
		t.Errorf("request: got %q; want GET /v1/pets?limit=10&tags=a+b&tags=c with X-Request-Id r1", got)
	}

	type newPet struct {
		Name string `json:"name"`
	}
	add := oasvc.MustBind[struct {
		Body newPet `json:"requestBody"`
	}, Pet](s, "addPet")
	p, err = add(ctx, struct {
		Body newPet `json:"requestBody"`
	}{newPet{"Tom"}})
	if err != nil || p.ID != 3 || p.Name != "Tom" {
		t.Errorf("addPet: got (%+v, %v); want pet 3 Tom", p, err)
	}
	if err := s.Call(ctx, "deletePet", map[string]any{"petId": 3}, nil); err != nil {
		t.Errorf("deletePet: %v", err)
	}
	if _, err := oasvc.Bind[struct {
		Nope int `json:"nope"`
	}, Pet](s, "getPetById"); err == nil {
		t.Error("Bind with a field that is no parameter: got nil; want an error")
	}
	if err := s.Call(ctx, "nope", nil, nil); err == nil || errors.Is(err, fault.BadRequest) {
		t.Errorf("unknown operation: got %v; want a plain error", err)
	}
}

func TestRequestValidation(t *testing.T) {
	ps := newPetstore(t)
	s := open(t, ps, false)
	ctx := context.Background()
	tests := []struct {
		name  string
		op    string
		args  map[string]any
		paths []string
	}{
		{"missing path parameter", "getPetById", map[string]any{}, []string{"/petId"}},
		{"below minimum", "getPetById", map[string]any{"petId": 0}, []string{"/petId"}},
		{"wrong type", "getPetById", map[string]any{"petId": "seven"}, []string{"/petId"}},
		{"unknown argument", "getPetById", map[string]any{"petId": 1, "color": "red"}, []string{"/color"}},
		{"query out of range", "listPets", map[string]any{"limit": 1000}, []string{"/limit"}},
		{"header too long", "listPets", map[string]any{"X-Request-Id": strings.Repeat("x", 21)}, []string{"/X-Request-Id"}},
		{"header line break", "listPets", map[string]any{"X-Request-Id": "a\r\nb"}, []string{"/X-Request-Id"}},
		{"missing body", "addPet", map[string]any{}, []string{"/requestBody"}},
		{"body without name", "addPet", map[string]any{"requestBody": map[string]any{"tag": "x"}}, []string{"/requestBody"}},
		{"body with extra property", "addPet", map[string]any{"requestBody": map[string]any{"name": "a", "x": 1}}, []string{"/requestBody"}},
		{"body on an operation without one", "getPetById", map[string]any{"petId": 1, "requestBody": map[string]any{}}, []string{"/requestBody"}},
		{"two problems", "addPet", map[string]any{"requestBody": map[string]any{"name": 5}, "X-Request-Id": 5}, []string{"/X-Request-Id", "/requestBody/name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := ps.hits.Load()
			fe := wantFault(t, s.Call(ctx, tt.op, tt.args, nil), fault.BadRequest, "INVALID_SERVICE_ARGUMENTS")
			details, _ := fe.Details.([]validate.Detail)
			var paths []string
			for _, d := range details {
				paths = append(paths, d.Path)
			}
			if strings.Join(paths, " ") != strings.Join(tt.paths, " ") {
				t.Errorf("detail paths: got %v; want %v (%+v)", paths, tt.paths, details)
			}
			if ps.hits.Load() != before {
				t.Error("an invalid call reached the upstream")
			}
		})
	}
	// A nullable 3.0 property takes null.
	if err := s.Call(ctx, "addPet", map[string]any{"requestBody": map[string]any{"name": "a", "tag": nil}}, nil); err != nil {
		t.Errorf("nullable tag: %v", err)
	}
}

func TestResponsesAndFailures(t *testing.T) {
	ps := newPetstore(t)
	ctx := context.Background()
	args := map[string]any{"petId": 1}

	ps.mode.Store("badAnswer")
	var p Pet
	if err := open(t, ps, false).Call(ctx, "getPetById", args, &p); err != nil {
		t.Errorf("without response validation: %v; want nil", err)
	}
	s := open(t, ps, true)
	wantFault(t, s.Call(ctx, "getPetById", args, &p), fault.BadGateway, "UPSTREAM_ERROR")
	if se, ok := service.AsError(s.Call(ctx, "getPetById", args, &p)); !ok || !se.Malformed {
		t.Errorf("answer failing the document: got %+v; want a malformed answer", se)
	}
	ps.mode.Store("")

	fe := wantFault(t, s.Call(ctx, "getPetById", map[string]any{"petId": 404}, &p), fault.BadGateway, "UPSTREAM_ERROR")
	if strings.Contains(fe.Message, "no such pet") || !strings.HasPrefix(fe.Message, "service petstore, operation getPetById") {
		t.Errorf("message: %q; want the service and operation, no upstream text", fe.Message)
	}

	ps.mode.Store("busy")
	before := ps.hits.Load()
	wantFault(t, s.Call(ctx, "getPetById", args, &p), fault.BadGateway, "UPSTREAM_ERROR")
	if n := ps.hits.Load() - before; n != 3 {
		t.Errorf("GET on a busy upstream: %d attempts; want 3", n)
	}
	before = ps.hits.Load()
	wantFault(t, s.Call(ctx, "addPet", map[string]any{"requestBody": map[string]any{"name": "a"}}, &p), fault.BadGateway, "UPSTREAM_ERROR")
	if n := ps.hits.Load() - before; n != 1 {
		t.Errorf("POST on a busy upstream: %d attempts; want 1", n)
	}

	ps.mode.Store("slow")
	p2 := fast
	p2.Timeout, p2.Attempts = 50*time.Millisecond, 1
	slow, err := oasvc.Open(ctx, ps.URL+"/openapi.yaml", oasvc.Config{Name: "petstore", Policy: p2})
	if err != nil {
		t.Fatal(err)
	}
	wantFault(t, slow.Call(ctx, "getPetById", args, &p), fault.GatewayTimeout, "UPSTREAM_TIMEOUT")
}

func TestNewRejects(t *testing.T) {
	spec, _ := os.ReadFile("testdata/petstore.yaml")
	tests := []struct {
		name string
		cfg  oasvc.Config
	}{
		{"no name", oasvc.Config{Spec: spec, BaseURL: "http://x"}},
		{"not a document", oasvc.Config{Name: "p", Spec: []byte("{"), BaseURL: "http://x"}},
		{"relative server and no base URL", oasvc.Config{Name: "p", Spec: spec}},
		{"swagger 2", oasvc.Config{Name: "p", Spec: []byte(`{"swagger":"2.0"}`), BaseURL: "http://x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := oasvc.New(tt.cfg); err == nil {
				t.Error("got nil; want an error")
			}
		})
	}
	if _, err := oasvc.Open(context.Background(), "testdata/missing.yaml", oasvc.Config{Name: "p"}); err == nil {
		t.Error("Open of a missing file: got nil; want an error")
	}
	s, err := oasvc.Open(context.Background(), "testdata/petstore.yaml", oasvc.Config{Name: "p", BaseURL: "http://127.0.0.1:1/v1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Operations()) != 4 {
		t.Errorf("operations from the file: %v; want 4", s.Operations())
	}
}
