package rest

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/loopback-go/lb/fault"
)

func TestRouterLookup(t *testing.T) {
	var rt router
	routes := []struct{ method, path string }{
		{"GET", "/"},
		{"GET", "/todos"},
		{"GET", "/todos/count"},
		{"GET", "/todos/{id}"},
		{"DELETE", "/todos/{id}"},
		{"GET", "/todos/{id}/items/{item}"},
		{"GET", "/files/{name}.{ext}"},
		{"GET", "/files/{name}"},
		{"GET", "/v{major}.{minor}/x"},
		{"GET", "/a/literal/b"},
		{"GET", "/a/{x}/c"},
	}
	for _, r := range routes {
		if _, err := rt.add(r.method, r.path, &endpoint{path: r.path}); err != nil {
			t.Fatalf("add %s %s: %v", r.method, r.path, err)
		}
	}
	tests := []struct {
		method, path string
		want         string // template, or "" for no match
		params       string
	}{
		{"GET", "/", "/", ""},
		{"GET", "/todos", "/todos", ""},
		{"GET", "/todos/", "/todos", ""},
		{"GET", "/todos/count", "/todos/count", ""},
		{"DELETE", "/todos/count", "/todos/{id}", "count"},
		{"GET", "/todos/7", "/todos/{id}", "7"},
		{"GET", "/todos/7/items/x%2Fy", "/todos/{id}/items/{item}", "7,x/y"},
		{"GET", "/files/a.b.c", "/files/{name}.{ext}", "a,b.c"},
		{"GET", "/files/readme", "/files/{name}", "readme"},
		{"GET", "/files/.hidden", "/files/{name}", ".hidden"},
		{"GET", "/v1.2/x", "/v{major}.{minor}/x", "1,2"},
		{"GET", "/a/literal/c", "/a/{x}/c", "literal"},
		{"GET", "/a/literal/b", "/a/literal/b", ""},
		{"HEAD", "/todos", "", ""},
		{"POST", "/todos", "", ""},
		{"GET", "/todos/7/extra", "", ""},
		{"GET", "/files/100%25.txt", "/files/{name}.{ext}", "100%,txt"},
		{"GET", "/files/a%2Fb", "/files/{name}", "a/b"},
		{"GET", "//todos", "", ""},
	}
	for _, tc := range tests {
		u, err := url.Parse("http://x" + tc.path)
		if err != nil {
			t.Fatalf("parse %s: %v", tc.path, err)
		}
		p, escaped := requestPath(u)
		e, params := rt.lookup(tc.method, p, escaped, nil)
		got := ""
		if e != nil {
			got = e.path
		}
		if got != tc.want || strings.Join(params, ",") != tc.params && e != nil {
			t.Errorf("%s %s: got %q %v; want %q %q", tc.method, tc.path, got, params, tc.want, tc.params)
		}
	}
}

func TestRouterAddErrors(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/todos/:id", "Express style"},
		{"/a/{x}{y}", "two parameters without a literal"},
		{"/a/{}", "bad parameter name"},
		{"/a/x}", "unbalanced"},
		{"/a/{x}/b/{x}", "appears twice"},
		{"relative", "must start with '/'"},
	}
	for _, tc := range tests {
		var rt router
		if _, err := rt.add("GET", tc.path, &endpoint{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("add %s: got %v; want an error containing %q", tc.path, err, tc.want)
		}
	}
}

func TestErrorName(t *testing.T) {
	for status, want := range map[int]string{400: "BadRequestError", 401: "UnauthorizedError", 403: "ForbiddenError",
		404: "NotFoundError", 409: "ConflictError", 413: "PayloadTooLargeError", 415: "UnsupportedMediaTypeError",
		422: "UnprocessableEntityError", 500: "InternalServerError", 501: "NotImplementedError", 503: "ServiceUnavailableError", 799: "Error"} {
		if got := ErrorName(status); got != want {
			t.Errorf("ErrorName(%d): got %s; want %s", status, got, want)
		}
	}
}

func TestNegotiateError(t *testing.T) {
	for accept, want := range map[string]string{"": "json", "text/html": "html", "application/xml": "xml",
		"text/html;q=0.5, application/json": "json", "image/png": "json", "*/*": "json",
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": "html"} {
		if got := negotiateError(accept); got != want {
			t.Errorf("negotiateError(%q): got %s; want %s", accept, got, want)
		}
	}
}

func TestStatusOf(t *testing.T) {
	for kind, want := range map[fault.Kind]int{fault.Internal: 500, fault.BadRequest: 400, fault.Unauthorized: 401,
		fault.Forbidden: 403, fault.NotFound: 404, fault.Conflict: 409, fault.TooLarge: 413, fault.Unsupported: 415,
		fault.Invalid: 422, fault.NotImplemented: 501, fault.Unavailable: 503} {
		if got := StatusOf(kind); got != want {
			t.Errorf("StatusOf(%v): got %d; want %d", kind, got, want)
		}
	}
	e := describe(fmt.Errorf("find: %w", &fault.Error{Kind: fault.NotFound, Name: "Error", Code: "ENTITY_NOT_FOUND", Message: "gone"}))
	if e.status != 404 || e.name != "Error" || e.code != "ENTITY_NOT_FOUND" || e.message != "gone" {
		t.Errorf("describe wrapped fault: got %+v", e)
	}
}
