package gen

import (
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

func TestDatasourceStoresAndServices(t *testing.T) {
	for _, c := range []struct {
		conn, url, base string
		want            []string
		closes          bool
	}{
		{"mongodb", "", "", []string{`mongodb.New(mongodb.Config{Name: "store", URL: url})`, `"mongodb://127.0.0.1:27017/store"`}, true},
		{"mongo", "", "", []string{`mongodb.New(`}, true},
		{"redis", "", "", []string{`redis.Open(ctx, redis.Config{Name: "store", URL: url})`, `"redis://127.0.0.1:6379/0"`}, true},
		{"rest", "", "", []string{"//go:embed datasources/store.datasource.json", "restsvc.Load(doc)", `os.Getenv("STORE_URL")`}, false},
		{"openapi", "spec.yaml", "http://h/v1", []string{`oasvc.Open(ctx, url, oasvc.Config{Name: "store", BaseURL: "http://h/v1"})`}, false},
		{"soap", "calc.wsdl", "", []string{`soapsvc.Open(ctx, url, soapsvc.Config{Name: "store"})`}, false},
		{"grpc", "", "", []string{`grpcsvc.New(grpcsvc.Config{Name: "store", Target: url})`, `"127.0.0.1:50051"`}, true},
	} {
		f, wire, err := Datasource(DatasourceOptions{Name: "store", Connector: c.conn, URL: c.url, BaseURL: c.base})
		if err != nil {
			t.Fatalf("%s: %v", c.conn, err)
		}
		if _, err := parser.ParseFile(token.NewFileSet(), f.Path, f.Data, 0); err != nil {
			t.Errorf("%s: generated file does not parse: %v\n%s", c.conn, err, f.Data)
		}
		for _, w := range c.want {
			if !strings.Contains(string(f.Data), w) {
				t.Errorf("%s: file lacks %s:\n%s", c.conn, w, f.Data)
			}
		}
		if got := strings.Contains(wire, "storeDS.Close"); got != c.closes {
			t.Errorf("%s: wire closes the data source: %v; want %v\n%s", c.conn, got, c.closes, wire)
		}
	}
	for _, conn := range []string{"openapi", "soap"} {
		if _, _, err := Datasource(DatasourceOptions{Name: "x", Connector: conn}); err == nil || !strings.Contains(err.Error(), "needs --url") {
			t.Errorf("%s without a URL: %v", conn, err)
		}
	}
}

func TestService(t *testing.T) {
	doc := `{"name":"geo","connector":"rest","operations":[{"template":{"method":"GET","url":"http://x/{address}/{zip}"},"functions":{"geocode":["address","zip"],"lookup":["address"]}}]}`
	f, wire, err := Service(ServiceOptions{Name: "geocoder", Datasource: "geo", Doc: []byte(doc)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), f.Path, f.Data, 0); err != nil {
		t.Fatalf("does not parse: %v\n%s", err, f.Data)
	}
	formatted, err := format.Source(f.Data)
	if err != nil {
		t.Fatal(err)
	}
	src := string(formatted)
	for _, w := range []string{
		"type GeocoderGeocodeArgs struct {\n\tAddress any `json:\"address,omitempty\"`\n\tZip     any `json:\"zip,omitempty\"`\n}",
		"Geocode func(ctx context.Context, in GeocoderGeocodeArgs) (any, error)",
		`restsvc.Bind[GeocoderLookupArgs, any](ds, "lookup")`,
	} {
		if !strings.Contains(src, w) {
			t.Errorf("service file lacks %s:\n%s", w, src)
		}
	}
	if !strings.Contains(wire, `service.Bind(srv.Container(), "geocoder", geocoderSvc)`) || !strings.Contains(wire, "newGeocoderService(geoDS)") {
		t.Errorf("wire: %s", wire)
	}
	for _, bad := range []struct{ doc, want string }{
		{`{`, "data source geo"},
		{`{"name":"geo","connector":"rest","operations":[{"template":{"method":"GET","url":"http://x"},"functions":{"func":[]}}]}`, "keyword"},
		{`{"name":"geo","connector":"rest","operations":[{"template":{"method":"GET","url":"http://x/{a b}"},"functions":{"f":["a b"]}}]}`, "argument"},
		{`{"name":"geo","connector":"rest","operations":[{"template":{"method":"GET","url":"http://x"},"functions":{"find":[],"Find":[]}}]}`, "both be the Go method Find"},
		{`{"name":"geo","connector":"rest","operations":[{"template":{"method":"GET","url":"http://x/{a}/{A}"},"functions":{"f":["a","A"]}}]}`, "Go field A"},
	} {
		if _, _, err := Service(ServiceOptions{Name: "geocoder", Datasource: "geo", Doc: []byte(bad.doc)}); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("Service(%s): %v; want an error containing %q", bad.doc, err, bad.want)
		}
	}
}

// FuzzService feeds arbitrary datasource documents (a file the user passes
// to lb datasource --spec) to the service proxy generator: it either
// refuses them or produces Go code that gofmt accepts.
func FuzzService(f *testing.F) {
	f.Add([]byte(`{"name":"geo","connector":"rest","operations":[{"template":{"method":"GET","url":"http://x/{a}"},"functions":{"geocode":["a"]}}]}`))
	f.Add([]byte(`{"name":"g","connector":"rest","operations":[{"template":{"method":"POST","url":"http://x","body":{"q":"{q}"}},"functions":{"search":["q"],"Search":["q"]}}]}`))
	f.Add([]byte(`{"name":"g","connector":"rest","operations":[]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		file, wire, err := Service(ServiceOptions{Name: "svc", Datasource: "ds", Doc: doc})
		if err != nil {
			return
		}
		if _, err := format.Source(file.Data); err != nil {
			t.Fatalf("generated service does not parse: %v\n%s", err, file.Data)
		}
		if !strings.Contains(wire, `service.Bind(srv.Container(), "svc", svcSvc)`) {
			t.Fatalf("wire: %s", wire)
		}
	})
}

func TestOpenAPIService(t *testing.T) {
	spec, err := os.ReadFile("testdata/lb4-todo-openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	f, wire, err := OpenAPIService("todos", "todoApi", spec)
	if err != nil {
		t.Fatal(err)
	}
	formatted, err := format.Source(f.Data)
	if err != nil {
		t.Fatalf("does not parse: %v\n%s", err, f.Data)
	}
	for _, want := range []string{`oasvc.Bind[map[string]any, any](ds, "TodoController.create")`, "func newTodosService(ds *oasvc.Service) (*TodosService, error)"} {
		if !strings.Contains(string(formatted), want) {
			t.Errorf("lacks %s:\n%s", want, formatted)
		}
	}
	if !strings.Contains(wire, "newTodosService(todoAPIDS)") && !strings.Contains(wire, "newTodosService(todoApiDS)") {
		t.Errorf("wire: %s", wire)
	}
	if _, _, err := OpenAPIService("todos", "x", []byte(`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}`)); err == nil || !strings.Contains(err.Error(), "no operation") {
		t.Errorf("a document without operations: %v", err)
	}
	if _, _, err := OpenAPIService("todos", "x", []byte(`{`)); err == nil {
		t.Error("a broken document: no error")
	}
}
