package explorer_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/loopback-go/lb/explorer"
)

func BenchmarkServe(b *testing.B) {
	mux := http.NewServeMux()
	explorer.Mount(mux, "/explorer", explorer.Config{Spec: specOK})
	for _, bc := range []struct{ name, path, enc string }{
		{"page", "/explorer/", ""},
		{"bundle-gzip", "/explorer/swagger-ui-bundle.js", "gzip"},
		{"css-identity", "/explorer/swagger-ui.css", ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", bc.path, nil)
			if bc.enc != "" {
				req.Header.Set("Accept-Encoding", bc.enc)
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				mux.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		explorer.New(explorer.Config{})
	}
}
