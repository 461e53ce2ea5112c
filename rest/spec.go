package rest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/openapi"
)

// SpecConfig configures the OpenAPI document and the endpoints that serve
// it. The zero value serves OpenAPI 3.1 at /openapi.json and /openapi.yaml
// with servers [{"url":"/"}] (or BasePath).
type SpecConfig struct {
	// Title and Version fill the document's info; "" means
	// "LoopBack Application" and "1.0.0".
	Title, Version string
	// JSONPath and YAMLPath are where the document is served; "" means
	// "/openapi.json" and "/openapi.yaml", "-" turns one off.
	JSONPath, YAMLPath string
	// Disabled turns both endpoints off.
	Disabled bool
	// ServersFromRequest sets servers to the request's base URL, honouring
	// X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-Port.
	ServersFromRequest bool
	// Version30 serves OpenAPI 3.0.3 by default, for tools that do not read
	// 3.1 yet. Either version can also be asked for per request with
	// ?openapi=3.0 or ?openapi=3.1.
	Version30 bool
}

// SpecEnhancer edits the served OpenAPI document: it runs on a fresh copy
// of the server's document each time the document is served.
type SpecEnhancer func(doc *openapi.Document)

type specState struct {
	s         *Server
	cfg       SpecConfig
	doc       *openapi.Document
	reg       *openapi.Registry
	mu        sync.Mutex
	enhancers []SpecEnhancer
}

func newSpecState(s *Server) *specState {
	cfg := s.cfg.OpenAPI
	if cfg.Title == "" {
		cfg.Title = "LoopBack Application"
	}
	if cfg.Version == "" {
		cfg.Version = "1.0.0"
	}
	if cfg.JSONPath == "" {
		cfg.JSONPath = "/openapi.json"
	}
	if cfg.YAMLPath == "" {
		cfg.YAMLPath = "/openapi.yaml"
	}
	doc := openapi.NewDocument(cfg.Title, cfg.Version)
	doc.Components.Schemas = map[string]*openapi.Schema{}
	return &specState{s: s, cfg: cfg, doc: doc, reg: openapi.NewRegistry(openapi.RegistryConfig{Describer: model.Describer{}})}
}

// EnhanceSpec adds a spec enhancer.
func (s *Server) EnhanceSpec(e SpecEnhancer) {
	s.spec.mu.Lock()
	defer s.spec.mu.Unlock()
	s.spec.enhancers = append(s.spec.enhancers, e)
}

// AddSchema adds a named schema to the document's components/schemas, where
// operations reference it as "#/components/schemas/<name>". Add schemas
// before the routes that reference them.
func (s *Server) AddSchema(name string, schema *openapi.Schema) {
	s.spec.mu.Lock()
	defer s.spec.mu.Unlock()
	s.spec.doc.Components.Schemas[name] = schema
}

// addOperation puts op in the document under path and method.
func (sp *specState) addOperation(method, path string, op *openapi.Operation) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	item := sp.doc.Paths[path]
	if item == nil {
		item = &openapi.PathItem{}
		sp.doc.Paths[path] = item
	}
	item.SetOperation(method, op) //nolint:errcheck // unknown methods are simply not documented
}

// resolveParameter follows a "#/components/parameters/Name" reference.
func (sp *specState) resolveParameter(p *openapi.Parameter) *openapi.Parameter {
	for i := 0; p != nil && p.Ref != "" && i < 8; i++ {
		name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/")
		if !ok {
			return nil
		}
		p = sp.doc.Components.Parameters[name]
	}
	return p
}

// resolveRequestBody follows a "#/components/requestBodies/Name" reference.
func (sp *specState) resolveRequestBody(rb *openapi.RequestBody) *openapi.RequestBody {
	for i := 0; rb != nil && rb.Ref != "" && i < 8; i++ {
		name, ok := strings.CutPrefix(rb.Ref, "#/components/requestBodies/")
		if !ok {
			return nil
		}
		rb = sp.doc.Components.RequestBodies[name]
	}
	return rb
}

// served returns a copy of the document with the enhancers applied. It is
// rebuilt for every request of the spec endpoints, which are not hot, so
// that changes made through Document are always served.
func (sp *specState) served() (*openapi.Document, error) {
	sp.mu.Lock()
	data, err := json.Marshal(sp.doc)
	enhancers := sp.enhancers[:len(sp.enhancers):len(sp.enhancers)]
	sp.mu.Unlock() // enhancers run unlocked, on the copy: they may read the server (Routes)
	if err != nil {
		return nil, fmt.Errorf("encode openapi document: %w", err)
	}
	doc := new(openapi.Document)
	if err := json.Unmarshal(data, doc); err != nil {
		return nil, fmt.Errorf("copy openapi document: %w", err)
	}
	for _, e := range enhancers {
		e(doc)
	}
	return doc, nil
}

// middleware serves the spec endpoints.
func (sp *specState) middleware(next http.Handler) http.Handler {
	if sp.cfg.Disabled {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		p := r.URL.Path
		switch {
		case p == sp.cfg.JSONPath && sp.cfg.JSONPath != "-":
			sp.serve(w, r, false)
		case p == sp.cfg.YAMLPath && sp.cfg.YAMLPath != "-":
			sp.serve(w, r, true)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// render returns the document as the spec endpoints serve it for r: with
// the enhancers applied, servers set per SpecConfig, and in OpenAPI 3.0.3
// when configured or asked for with ?openapi=3.0.
func (sp *specState) render(r *http.Request, yaml bool) ([]byte, error) {
	doc, err := sp.served()
	if err != nil {
		return nil, err
	}
	cp := *doc
	if sp.cfg.ServersFromRequest {
		cp.Servers = []openapi.Server{{URL: requestBaseURL(r) + sp.s.basePath}}
	} else if len(cp.Servers) == 0 {
		u := sp.s.basePath
		if u == "" {
			u = "/"
		}
		cp.Servers = []openapi.Server{{URL: u}}
	}
	v30 := sp.cfg.Version30
	switch r.URL.Query().Get("openapi") {
	case "3.0", "3.0.3", "3":
		v30 = true
	case "3.1", "3.1.0":
		v30 = false
	}
	switch {
	case v30 && yaml:
		return cp.Downgrade30YAML()
	case v30:
		return cp.Downgrade30()
	case yaml:
		return cp.YAML()
	default:
		return cp.JSON()
	}
}

// SpecJSON returns the OpenAPI document in JSON exactly as the server's
// JSON spec endpoint would answer r (servers, enhancers, ?openapi=3.0).
// It is meant for handlers that serve the document elsewhere, such as the
// API explorer's openapi.json:
//
//	explorer.New(explorer.Config{Spec: srv.SpecJSON})
func (s *Server) SpecJSON(r *http.Request) ([]byte, error) {
	return s.spec.render(r, false)
}

func (sp *specState) serve(w http.ResponseWriter, r *http.Request, yaml bool) {
	data, err := sp.render(r, yaml)
	if err != nil {
		sp.s.WriteError(w, r, err)
		return
	}
	if yaml {
		w.Header().Set("Content-Type", "text/yaml; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(data) //nolint:errcheck // the client went away
	}
}

// requestBaseURL is the request's scheme://host[:port], as a proxy in front
// reports it.
func requestBaseURL(r *http.Request) string {
	proto := "http"
	if r.TLS != nil {
		proto = "https"
	}
	if p := firstValue(r.Header.Get("X-Forwarded-Proto")); p != "" {
		proto = p
	}
	host := r.Host
	if h := firstValue(r.Header.Get("X-Forwarded-Host")); h != "" {
		host = h
	}
	if port := firstValue(r.Header.Get("X-Forwarded-Port")); port != "" {
		if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
			host = host[:i]
		}
		if !(proto == "http" && port == "80" || proto == "https" && port == "443") {
			host += ":" + port
		}
	}
	return proto + "://" + host
}

func firstValue(h string) string {
	v, _, _ := strings.Cut(h, ",")
	return strings.TrimSpace(v)
}
