package explorer_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/loopback-go/lb/explorer"
)

// Mount the explorer at /explorer on a ServeMux, with the spec served next
// to the page.
func ExampleMount() {
	mux := http.NewServeMux()
	explorer.Mount(mux, "/explorer", explorer.Config{
		Spec: func(*http.Request) ([]byte, error) {
			return []byte(`{"openapi":"3.1.0","info":{"title":"Todo","version":"1.0.0"},"paths":{}}`), nil
		},
	})

	for _, target := range []string{"/explorer", "/explorer/", "/explorer/openapi.json"} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		fmt.Println(target, rec.Code, rec.Header().Get("Location")+rec.Header().Get("Content-Type"))
	}
	// Output:
	// /explorer 301 ./explorer/
	// /explorer/ 200 text/html; charset=utf-8
	// /explorer/openapi.json 200 application/json; charset=utf-8
}
