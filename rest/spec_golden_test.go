package rest_test

import (
	"flag"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/loopback-go/lb"
	"github.com/loopback-go/lb/rest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The server is an lb.Server.
var _ lb.Server = (*rest.Server)(nil)

// TestSpecGolden compares the documents served for the contract test app
// with testdata/*.golden; run with -update to accept a change.
func TestSpecGolden(t *testing.T) {
	srv := httptest.NewServer(newTestApp(t, rest.Config{}))
	defer srv.Close()
	for _, tc := range []struct{ path, golden string }{
		{"/openapi.json", "openapi31.json.golden"},
		{"/openapi.json?openapi=3.0", "openapi30.json.golden"},
		{"/openapi.yaml", "openapi31.yaml.golden"},
	} {
		res, err := srv.Client().Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		file := filepath.Join("testdata", tc.golden)
		if *update {
			if err := os.WriteFile(file, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if string(got) != string(want) {
			t.Errorf("GET %s differs from %s (run go test -update to accept):\n%s", tc.path, file, got)
		}
	}
}
