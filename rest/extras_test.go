package rest_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/rest"
)

type uploadIn struct {
	Body io.Reader
}

type rawIn struct {
	Body []byte
}

type textIn struct {
	Body string
}

func TestStreamsAndExtras(t *testing.T) {
	s := rest.New(rest.Config{ProhibitedKeys: []string{"secret"}, OpenAPI: rest.SpecConfig{Version30: true, JSONPath: "/spec.json", YAMLPath: "-"}})
	rest.Post(s, "/upload", func(_ context.Context, in *uploadIn) (*string, error) {
		b, err := io.ReadAll(in.Body)
		if err != nil {
			return nil, err
		}
		out := "read " + string(b)
		return &out, nil
	})
	rest.Post(s, "/raw", func(_ context.Context, in *rawIn) (*[]byte, error) { return &in.Body, nil })
	rest.Post(s, "/text", func(ctx context.Context, in *textIn) (*io.Reader, error) {
		rest.SetStatus(ctx, http.StatusAccepted)
		rest.ResponseHeader(ctx).Set("Content-Type", "text/markdown")
		var r io.Reader = strings.NewReader("# " + in.Body)
		return &r, nil
	})
	rest.Post(s, "/todos", func(_ context.Context, in *createIn) (*Todo, error) { return &Todo{Title: in.Body.Title}, nil })
	s.BodyParser("application/x-csv", func(_ context.Context, _ *http.Request, data []byte) (any, error) {
		return map[string]any{"title": strings.Split(string(data), ",")[0]}, nil
	})
	rest.Post(s, "/csv", func(_ context.Context, in *struct {
		Body NewTodo `contentType:"application/x-csv"`
	}) (*Todo, error) {
		return &Todo{Title: in.Body.Title}, nil
	})
	rest.Post(s, "/small", func(_ context.Context, in *uploadIn) (*string, error) {
		b, err := io.ReadAll(in.Body)
		if err != nil {
			return nil, err
		}
		out := string(b)
		return &out, nil
	}, rest.MaxBodySize(4))
	srv := httptest.NewServer(s)
	defer srv.Close()
	runContract(t, srv, []contractCase{
		{name: "stream within the operation's limit", method: "POST", path: "/small", body: "abcd", status: 200, want: "abcd"},
		{name: "stream over the operation's limit", method: "POST", path: "/small", body: "abcde", status: 413,
			want: `{"error":{"statusCode":413,"name":"PayloadTooLargeError","message":"request entity too large"}}`},
		{name: "stream body", method: "POST", path: "/upload", header: map[string]string{"Content-Type": "video/mp4"}, body: "abc", status: 200, want: "read abc"},
		{name: "raw body and bytes result", method: "POST", path: "/raw", header: map[string]string{"Content-Type": "application/octet-stream"}, body: "xyz", status: 200,
			headers: map[string]string{"Content-Type": "application/octet-stream"}, want: "xyz"},
		{name: "text body, stream result, status and header from ctx", method: "POST", path: "/text", header: map[string]string{"Content-Type": "text/plain"}, body: "hi", status: 202,
			headers: map[string]string{"Content-Type": "text/markdown"}, want: "# hi"},
		{name: "configured prohibited key", method: "POST", path: "/todos", header: map[string]string{"Content-Type": "application/json"}, body: `{"title":"a","nested":[{"secret":1}]}`, status: 400,
			want: `{"error":{"statusCode":400,"name":"SyntaxError","message":"JSON string cannot contain \"secret\" key."}}`},
		{name: "custom parser, then validation", method: "POST", path: "/csv", header: map[string]string{"Content-Type": "application/x-csv"}, body: "milk,x", status: 200,
			want: `{"id":0,"title":"milk"}`},
		{name: "3.0 by configuration at a custom path", path: "/spec.json", status: 200, contain: true, want: `"openapi": "3.0.3"`},
		{name: "yaml turned off", path: "/openapi.yaml", status: 404, contain: true, want: `NotFoundError`},
	})
}

type userKey struct{}

func TestPostRouteMiddlewareContextReachesHandler(t *testing.T) {
	s := rest.New(rest.Config{})
	s.UseIn(rest.GroupAuthentication, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, "ann")))
		})
	})
	rest.Get(s, "/me", func(ctx context.Context, _ *struct{}) (*string, error) {
		u, _ := ctx.Value(userKey{}).(string)
		rest.SetStatus(ctx, http.StatusAccepted)
		return &u, nil
	})
	srv := httptest.NewServer(s)
	defer srv.Close()
	runContract(t, srv, []contractCase{{name: "user from middleware", path: "/me", status: 202, want: "ann"}})
}

type paging struct {
	Limit *int `query:"limit" maximum:"10"`
}

type listIn struct {
	IDs []int64 `query:"ids"`
	paging
}

func TestTypedArrayAndConstrainedQuery(t *testing.T) {
	s := rest.New(rest.Config{})
	rest.Get(s, "/list", func(_ context.Context, in *listIn) (*map[string]any, error) {
		return &map[string]any{"ids": in.IDs, "limit": in.Limit}, nil
	})
	cached := "from cache"
	rest.Get(s, "/cached", func(context.Context, *struct{}) (*string, error) {
		panic("not reached: the interceptor answers")
	}, rest.WithInterceptors(func(context.Context, *di.Invocation, di.Next) (any, error) { return &cached, nil }))
	srv := httptest.NewServer(s)
	defer srv.Close()
	runContract(t, srv, []contractCase{
		{name: "array and pointer", path: "/list?ids=3&ids=4&limit=2", status: 200, want: `{"ids":[3,4],"limit":2}`},
		{name: "single value array", path: "/list?ids=3", status: 200, want: `{"ids":[3],"limit":null}`},
		{name: "constraint", path: "/list?limit=11", status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"11\" for parameter \"limit\".","code":"INVALID_PARAMETER_VALUE","details":[{"path":"","code":"maximum","message":"must be <= 10","info":{"comparison":"<=","limit":10}}]}}`},
		{name: "interceptor short-circuits", path: "/cached", status: 200, want: `from cache`},
	})
}

func TestChunkedStreamOverLimit(t *testing.T) {
	s := rest.New(rest.Config{Logger: discard()})
	rest.Post(s, "/small", func(_ context.Context, in *uploadIn) (*string, error) {
		_, err := io.ReadAll(in.Body)
		return nil, err
	}, rest.MaxBodySize(4))
	srv := httptest.NewServer(s)
	defer srv.Close()
	res, err := srv.Client().Post(srv.URL+"/small", "application/octet-stream", io.MultiReader(strings.NewReader("abcdefgh")))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked body over the limit: got %d; want 413", res.StatusCode)
	}
}

// TestConcurrentRequests runs requests in parallel so that the race detector
// sees the pooled buffers and encoders shared between requests.
func TestConcurrentRequests(t *testing.T) {
	srv := httptest.NewServer(newTestApp(t, rest.Config{Logger: discard()}))
	defer srv.Close()
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			for i := range 25 {
				title := fmt.Sprintf("t%d-%d", g, i)
				res, err := srv.Client().Post(srv.URL+"/todos", "application/json", strings.NewReader(`{"title":"`+title+`"}`))
				if err != nil {
					errs <- err
					return
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if want := `{"id":5,"title":"` + title + `"}`; string(b) != want {
					errs <- fmt.Errorf("got %s; want %s", b, want)
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestPanicIsA500(t *testing.T) {
	var logs strings.Builder
	s := rest.New(rest.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	rest.Get(s, "/panic", func(context.Context, *struct{}) (*string, error) { panic("boom") })
	srv := httptest.NewServer(s)
	defer srv.Close()
	runContract(t, srv, []contractCase{{name: "panic", path: "/panic", status: 500,
		want: `{"error":{"statusCode":500,"message":"Internal Server Error"}}`}})
	if !strings.Contains(logs.String(), "panic=boom") {
		t.Errorf("log: got %q; want the panic logged", logs.String())
	}
}

func TestTypedResponseResult(t *testing.T) {
	s := rest.New(rest.Config{})
	rest.Post(s, "/accept", func(context.Context, *struct{}) (*rest.Response, error) {
		return &rest.Response{Status: http.StatusAccepted, Header: http.Header{"Location": {"/jobs/1"}}, Body: map[string]int{"job": 1}}, nil
	})
	srv := httptest.NewServer(s)
	defer srv.Close()
	runContract(t, srv, []contractCase{{name: "response", method: "POST", path: "/accept", status: 202,
		headers: map[string]string{"Location": "/jobs/1", "Content-Type": "application/json"}, want: `{"job":1}`}})
}
