package explorer_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/loopback-go/lb/explorer"
)

const testSpec = `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{}}`

func specOK(*http.Request) ([]byte, error) { return []byte(testSpec), nil }

// serve sends one request to h and returns the recorded response.
func serve(t *testing.T, h http.Handler, method, target string, header http.Header) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return string(b)
}

// mounts builds the same explorer three ways: on a mux at /explorer, on a mux
// at a deeper path, and behind an outer prefix stripped before the mux (as a
// basePath or a reverse proxy does).
func mounts(cfg explorer.Config) map[string]struct {
	h    http.Handler
	base string // the URL path of the explorer as the client sees it
} {
	root := http.NewServeMux()
	explorer.Mount(root, "/explorer", cfg)

	deep := http.NewServeMux()
	explorer.Mount(deep, "/api/v1/explorer/", cfg) // trailing slash tolerated

	inner := http.NewServeMux()
	explorer.Mount(inner, "/explorer", cfg)
	outer := http.StripPrefix("/base", inner)

	return map[string]struct {
		h    http.Handler
		base string
	}{
		"root":     {root, "/explorer"},
		"deep":     {deep, "/api/v1/explorer"},
		"stripped": {outer, "/base/explorer"},
	}
}

func TestRoutes(t *testing.T) {
	for name, m := range mounts(explorer.Config{Spec: specOK}) {
		t.Run(name, func(t *testing.T) {
			t.Run("redirect", func(t *testing.T) {
				res := serve(t, m.h, "GET", m.base, nil)
				if res.StatusCode != http.StatusMovedPermanently {
					t.Fatalf("status: got %d; want 301", res.StatusCode)
				}
				if got := res.Header.Get("Location"); got != "./explorer/" {
					t.Errorf("Location: got %q; want %q", got, "./explorer/")
				}
				ref, _ := url.Parse(res.Header.Get("Location"))
				base, _ := url.Parse("http://example.com" + m.base)
				if got, want := base.ResolveReference(ref).Path, m.base+"/"; got != want {
					t.Errorf("resolved redirect: got %q; want %q", got, want)
				}
			})
			t.Run("redirect keeps query", func(t *testing.T) {
				res := serve(t, m.h, "GET", m.base+"?a=1", nil)
				if got := res.Header.Get("Location"); got != "./explorer/?a=1" {
					t.Errorf("Location: got %q; want %q", got, "./explorer/?a=1")
				}
			})
			for _, p := range []string{"/", "/index.html"} {
				t.Run("page "+p, func(t *testing.T) {
					res := serve(t, m.h, "GET", m.base+p, nil)
					if res.StatusCode != http.StatusOK {
						t.Fatalf("status: got %d; want 200", res.StatusCode)
					}
					if got := res.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
						t.Errorf("Content-Type: got %q; want text/html; charset=utf-8", got)
					}
					page := body(t, res)
					if !strings.Contains(page, "<title>LoopBack API Explorer</title>") {
						t.Errorf("page has no LoopBack title:\n%s", page)
					}
					checkRelative(t, page)
				})
			}
			t.Run("spec", func(t *testing.T) {
				res := serve(t, m.h, "GET", m.base+"/openapi.json", nil)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status: got %d; want 200", res.StatusCode)
				}
				if got := res.Header.Get("Content-Type"); got != "application/json; charset=utf-8" {
					t.Errorf("Content-Type: got %q; want application/json; charset=utf-8", got)
				}
				if got := body(t, res); got != testSpec {
					t.Errorf("body: got %q; want %q", got, testSpec)
				}
			})
			t.Run("asset", func(t *testing.T) {
				res := serve(t, m.h, "GET", m.base+"/swagger-ui.css", nil)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status: got %d; want 200", res.StatusCode)
				}
				if got := body(t, res); !strings.Contains(got, ".swagger-ui") {
					t.Errorf("swagger-ui.css does not look like Swagger UI's CSS: %.80q", got)
				}
			})
			t.Run("unknown", func(t *testing.T) {
				for _, p := range []string{"/nope.js", "/a/swagger-ui.css", "/swagger-ui.css.gz", "/embed.go"} {
					res := serve(t, m.h, "GET", m.base+p, nil)
					if res.StatusCode != http.StatusNotFound {
						t.Errorf("GET %s: got %d; want 404", p, res.StatusCode)
						continue
					}
					want := `{"error":{"statusCode":404,"name":"NotFoundError","message":"Endpoint \"GET ` + m.base + p + `\" not found."}}`
					if got := body(t, res); got != want || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
						t.Errorf("GET %s: got %s %q; want LoopBack's 404 %s", p, res.Header.Get("Content-Type"), got, want)
					}
				}
			})
		})
	}
}

// checkRelative fails when the page loads anything from another origin or
// through an absolute path, which would break under a prefix.
func checkRelative(t *testing.T, page string) {
	t.Helper()
	refs := regexp.MustCompile(`(?:src|href|data-spec-url)="([^"]*)"`).FindAllStringSubmatch(page, -1)
	if len(refs) < 5 {
		t.Fatalf("got %d references in the page; want at least 5 (css, icons, 3 scripts)", len(refs))
	}
	for _, r := range refs {
		u := r[1]
		if strings.HasPrefix(u, "/") || strings.Contains(u, "//") {
			t.Errorf("page references %q; want a relative URL", u)
		}
	}
	for _, want := range []string{`src="./swagger-ui-bundle.js"`, `src="./swagger-ui-standalone-preset.js"`, `href="./swagger-ui.css"`, `src="./explorer-init.js"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  explorer.Config
		want []string
	}{
		{"defaults", explorer.Config{}, []string{"<title>LoopBack API Explorer</title>", `data-spec-url="openapi.json"`}},
		{"title is escaped", explorer.Config{Title: "<My> API"}, []string{"<title>&lt;My&gt; API</title>"}},
		{"spec url", explorer.Config{SpecURL: "../openapi.json"}, []string{`data-spec-url="../openapi.json"`}},
		{"spec url is escaped", explorer.Config{SpecURL: `x"><script>`}, []string{`data-spec-url="x%22%3e%3cscript%3e"`}},
		{"script url is refused", explorer.Config{SpecURL: `javascript:alert(1)`}, []string{`data-spec-url="#ZgotmplZ"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := body(t, serve(t, explorer.New(tt.cfg), "GET", "/", nil))
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %s:\n%s", w, page)
				}
			}
		})
	}
}

func TestSpecSupplier(t *testing.T) {
	t.Run("none", func(t *testing.T) {
		if res := serve(t, explorer.New(explorer.Config{}), "GET", "/openapi.json", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("status: got %d; want 404", res.StatusCode)
		}
	})
	t.Run("error", func(t *testing.T) {
		h := explorer.New(explorer.Config{Spec: func(*http.Request) ([]byte, error) { return nil, errors.New("secret detail") }})
		res := serve(t, h, "GET", "/openapi.json", nil)
		if res.StatusCode != http.StatusInternalServerError {
			t.Fatalf("status: got %d; want 500", res.StatusCode)
		}
		if got, want := body(t, res), `{"error":{"statusCode":500,"message":"Internal Server Error"}}`; got != want {
			t.Errorf("body: got %s; want %s", got, want)
		}
	})
	t.Run("sees the request", func(t *testing.T) {
		h := explorer.New(explorer.Config{Spec: func(r *http.Request) ([]byte, error) { return []byte(`"` + r.Host + `"`), nil }})
		if got := body(t, serve(t, h, "GET", "http://api.example/openapi.json", nil)); got != `"api.example"` {
			t.Errorf("body: got %s; want \"api.example\"", got)
		}
	})
}

func TestAssets(t *testing.T) {
	h := explorer.New(explorer.Config{})
	for _, name := range []string{"swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css", "explorer-init.js", "favicon-32x32.png", "favicon-16x16.png"} {
		t.Run(name, func(t *testing.T) {
			plain := serve(t, h, "GET", "/"+name, http.Header{"Accept-Encoding": {"identity"}})
			if plain.StatusCode != http.StatusOK {
				t.Fatalf("status: got %d; want 200", plain.StatusCode)
			}
			if got := plain.Header.Get("Cache-Control"); got != "public, max-age=604800" {
				t.Errorf("Cache-Control: got %q; want public, max-age=604800", got)
			}
			if got := plain.Header.Get("Content-Encoding"); got != "" {
				t.Errorf("Content-Encoding without gzip accepted: got %q; want none", got)
			}
			want := body(t, plain)
			if len(want) == 0 {
				t.Fatal("empty asset")
			}
			etag := plain.Header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			if res := serve(t, h, "GET", "/"+name, http.Header{"If-None-Match": {etag}, "Accept-Encoding": {"identity"}}); res.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match: got %d; want 304", res.StatusCode)
			}

			gz := serve(t, h, "GET", "/"+name, http.Header{"Accept-Encoding": {"br, gzip;q=0.8"}})
			if gz.Header.Get("Content-Encoding") != "gzip" {
				if strings.HasSuffix(name, ".png") || name == "explorer-init.js" {
					return // stored uncompressed
				}
				t.Fatalf("Content-Encoding with gzip accepted: got %q; want gzip", gz.Header.Get("Content-Encoding"))
			}
			if gz.Header.Get("ETag") == etag {
				t.Errorf("gzip and identity responses share the ETag %s", etag)
			}
			if got := gz.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary: got %q; want Accept-Encoding", got)
			}
			zr, err := gzip.NewReader(gz.Body)
			if err != nil {
				t.Fatalf("gzip: %v", err)
			}
			got, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("gunzip: %v", err)
			}
			if !bytes.Equal(got, []byte(want)) {
				t.Errorf("gzip content differs from identity content (%d vs %d bytes)", len(got), len(want))
			}
		})
	}
	t.Run("content types", func(t *testing.T) {
		for name, want := range map[string]string{
			"swagger-ui-bundle.js": "text/javascript; charset=utf-8",
			"swagger-ui.css":       "text/css; charset=utf-8",
			"favicon-16x16.png":    "image/png",
		} {
			if got := serve(t, h, "HEAD", "/"+name, nil).Header.Get("Content-Type"); got != want {
				t.Errorf("%s: got %q; want %q", name, got, want)
			}
		}
	})
}

func TestMethods(t *testing.T) {
	h := explorer.New(explorer.Config{Spec: specOK})
	res := serve(t, h, "POST", "/", nil)
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: got %d; want 405", res.StatusCode)
	}
	if got := res.Header.Get("Allow"); got != "GET, HEAD" {
		t.Errorf("Allow: got %q; want GET, HEAD", got)
	}
	head := serve(t, h, "HEAD", "/", nil)
	if head.StatusCode != http.StatusOK {
		t.Errorf("HEAD: got %d; want 200", head.StatusCode)
	}
	if b := body(t, head); b != "" {
		t.Errorf("HEAD body: got %d bytes; want none", len(b))
	}
}

func TestAcceptEncoding(t *testing.T) {
	tests := []struct {
		header string
		gzip   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"deflate, gzip;q=1.0, *;q=0.5", true},
		{"br;q=1, gzip ; q=0.5", true},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"identity", false},
		{"*", true},
		{"br", false},
	}
	h := explorer.New(explorer.Config{})
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			var hd http.Header
			if tt.header != "" {
				hd = http.Header{"Accept-Encoding": {tt.header}}
			}
			got := serve(t, h, "GET", "/swagger-ui.css", hd).Header.Get("Content-Encoding") == "gzip"
			if got != tt.gzip {
				t.Errorf("gzip for %q: got %v; want %v", tt.header, got, tt.gzip)
			}
		})
	}
}

func TestMountPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Mount with a relative path did not panic")
		}
	}()
	explorer.Mount(http.NewServeMux(), "explorer", explorer.Config{})
}

func TestMountRoot(t *testing.T) {
	mux := http.NewServeMux()
	explorer.Mount(mux, "/", explorer.Config{})
	if res := serve(t, mux, "GET", "/", nil); res.StatusCode != http.StatusOK {
		t.Errorf("GET /: got %d; want 200", res.StatusCode)
	}
}
