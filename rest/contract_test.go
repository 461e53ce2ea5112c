package rest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

// The test app of the contract table.

type Todo struct {
	ID         int64   `json:"id" required:"true"`
	Title      string  `json:"title" required:"true"`
	Desc       *string `json:"desc,omitempty"`
	IsComplete bool    `json:"isComplete,omitempty"`
}

type NewTodo struct {
	Title      string  `json:"title" required:"true" minLength:"1"`
	Desc       *string `json:"desc,omitempty"`
	IsComplete bool    `json:"isComplete,omitempty"`
	Priority   int     `json:"priority,omitempty" minimum:"1"`
}

type TodoFilter struct {
	Where map[string]any `json:"where,omitempty"`
	Limit int            `json:"limit,omitempty" minimum:"1"`
	Skip  int            `json:"skip,omitempty"`
	Order []string       `json:"order,omitempty"`
}

type byID struct {
	ID int64 `path:"id"`
}

type findIn struct {
	Filter *TodoFilter `query:"filter"`
}

type createIn struct {
	Body NewTodo
}

type fileIn struct {
	Name string `path:"name"`
	Ext  string `path:"ext"`
}

type created struct {
	Status   int
	Location string `header:"Location"`
	Body     *Todo
}

type TodoController struct{}

func (TodoController) Routes(r *rest.ControllerRoutes) {
	rest.Get(r, "/ctl/todos/{id}", TodoController{}.FindByID, rest.OperationID("findByID"))
}

func (TodoController) FindByID(_ context.Context, in *byID) (*Todo, error) {
	return &Todo{ID: in.ID, Title: "from controller"}, nil
}

func newTestApp(t testing.TB, cfg rest.Config) *rest.Server {
	t.Helper()
	s := rest.New(cfg)
	rest.Get(s, "/todos/{id}", func(_ context.Context, in *byID) (*Todo, error) {
		if in.ID == 99 {
			return nil, fault.New(fault.NotFound, "ENTITY_NOT_FOUND", "Entity not found: Todo with id 99")
		}
		return &Todo{ID: in.ID, Title: "t" + fmt.Sprint(in.ID)}, nil
	}, rest.OperationID("findTodo"))
	rest.Get(s, "/todos/count", func(context.Context, *struct{}) (*map[string]int, error) {
		return &map[string]int{"count": 4}, nil
	})
	rest.Delete(s, "/todos/{id}", func(context.Context, *byID) (*struct{}, error) { return &struct{}{}, nil })
	rest.Get(s, "/todos", func(_ context.Context, in *findIn) (*[]any, error) {
		if in.Filter == nil {
			return &[]any{}, nil
		}
		return &[]any{in.Filter.Where, in.Filter.Limit, in.Filter.Order}, nil
	})
	rest.Post(s, "/todos", func(_ context.Context, in *createIn) (*Todo, error) {
		return &Todo{ID: 5, Title: in.Body.Title, Desc: in.Body.Desc}, nil
	})
	rest.Post(s, "/created", func(_ context.Context, in *createIn) (*created, error) {
		return &created{Status: 201, Location: "/todos/5", Body: &Todo{ID: 5, Title: in.Body.Title}}, nil
	})
	rest.Get(s, "/files/{name}.{ext}", func(_ context.Context, in *fileIn) (*string, error) {
		out := in.Name + "|" + in.Ext
		return &out, nil
	})
	rest.Get(s, "/bytes", func(context.Context, *struct{}) (*[]byte, error) {
		b := []byte{1, 2, 3}
		return &b, nil
	})
	rest.Get(s, "/boom", func(context.Context, *struct{}) (*Todo, error) {
		return nil, errors.New("database password leaked")
	})
	s.Controller(TodoController{})

	params := []*openapi.Parameter{
		{Name: "id", In: "path", Required: true, Schema: &openapi.Schema{Type: openapi.Types{"integer"}}},
		{Name: "n", In: "query", Schema: &openapi.Schema{Type: openapi.Types{"number"}}},
		{Name: "b", In: "query", Schema: &openapi.Schema{Type: openapi.Types{"boolean"}}},
		{Name: "d", In: "query", Schema: &openapi.Schema{Type: openapi.Types{"string"}, Format: "date-time"}},
		{Name: "day", In: "query", Schema: &openapi.Schema{Type: openapi.Types{"string"}, Format: "date"}},
		{Name: "raw", In: "query", Schema: &openapi.Schema{Type: openapi.Types{"string"}, Format: "byte"}},
		{Name: "tags", In: "query", Schema: &openapi.Schema{Type: openapi.Types{"array"}, Items: &openapi.Schema{Type: openapi.Types{"integer"}}}},
		{Name: "q", In: "query", Required: true, Schema: &openapi.Schema{Type: openapi.Types{"string"}}},
		{Name: "X-Key", In: "header", Schema: &openapi.Schema{Type: openapi.Types{"string"}}},
		{Name: "session", In: "cookie", Schema: &openapi.Schema{Type: openapi.Types{"string"}}},
	}
	s.Route("GET", "/things/{id}", &openapi.Operation{OperationID: "getThing", Parameters: params},
		func(_ context.Context, req *rest.Request) (any, error) {
			out := map[string]string{}
			for k, v := range req.Params {
				out[k] = fmt.Sprintf("%T:%v", v, v)
				if tm, ok := v.(time.Time); ok {
					out[k] = "time:" + tm.UTC().Format(time.RFC3339)
				}
			}
			return out, nil
		})
	bodyOp := &openapi.Operation{OperationID: "echoBody", RequestBody: &openapi.RequestBody{
		Required: true,
		Content: map[string]*openapi.MediaType{
			"application/json":                  {Schema: &openapi.Schema{}},
			"application/x-www-form-urlencoded": {Schema: &openapi.Schema{Type: openapi.Types{"object"}, Properties: map[string]*openapi.Schema{"n": {Type: openapi.Types{"integer"}}, "ok": {Type: openapi.Types{"boolean"}}}}},
			"text/*":                            {Schema: &openapi.Schema{Type: openapi.Types{"string"}}},
			"application/octet-stream":          {},
			"multipart/form-data":               {},
		}}}
	s.Route("POST", "/echo", bodyOp, func(_ context.Context, req *rest.Request) (any, error) {
		switch b := req.Body.(type) {
		case []byte:
			return fmt.Sprintf("bytes:%v", b), nil
		case string:
			return "text:" + b, nil
		case map[string]any:
			if f, ok := b["file"].(*rest.File); ok {
				return fmt.Sprintf("file:%s:%s:%s:%v", f.Name, f.ContentType, f.Data, b["note"]), nil
			}
		}
		return map[string]any{"body": req.Body}, nil
	})
	s.Route("GET", "/writes", &openapi.Operation{OperationID: "writes"}, func(_ context.Context, req *rest.Request) (any, error) {
		req.Writer.Header().Set("Content-Type", "text/csv")
		req.Writer.WriteHeader(202)
		io.WriteString(req.Writer, "a,b\n")
		return nil, nil
	})
	return s
}

type contractCase struct {
	name    string
	method  string
	path    string
	header  map[string]string
	body    string
	status  int
	headers map[string]string // exact values; "" means absent
	want    string            // exact body, unless contains is set
	contain bool
}

func runContract(t *testing.T, srv *httptest.Server, cases []contractCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			method := tc.method
			if method == "" {
				method = "GET"
			}
			req, err := http.NewRequest(method, srv.URL+tc.path, body)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.header {
				if k == "Host" {
					req.Host = v
					continue
				}
				req.Header.Set(k, v)
			}
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			got, _ := io.ReadAll(res.Body)
			if res.StatusCode != tc.status {
				t.Errorf("status: got %d; want %d (body %s)", res.StatusCode, tc.status, got)
			}
			for k, v := range tc.headers {
				if g := res.Header.Get(k); g != v {
					t.Errorf("header %s: got %q; want %q", k, g, v)
				}
			}
			if tc.contain {
				if !strings.Contains(string(got), tc.want) {
					t.Errorf("body: got %s; want it to contain %s", got, tc.want)
				}
			} else if string(got) != tc.want {
				t.Errorf("body:\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

var jsonErr = map[string]string{"Content-Type": "application/json; charset=utf-8", "X-Content-Type-Options": "nosniff"}

func TestContractRouting(t *testing.T) {
	srv := httptest.NewServer(newTestApp(t, rest.Config{}))
	defer srv.Close()
	runContract(t, srv, []contractCase{
		{name: "template", path: "/todos/1", status: 200, headers: map[string]string{"Content-Type": "application/json"}, want: `{"id":1,"title":"t1"}`},
		{name: "literal beats template", path: "/todos/count", status: 200, want: `{"count":4}`},
		{name: "other verb on literal falls back to template", method: "DELETE", path: "/todos/count", status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"count\" for parameter \"id\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "trailing slash tolerated", path: "/todos/1/", status: 200, want: `{"id":1,"title":"t1"}`},
		{name: "mixed segment", path: "/files/report.tar.gz", status: 200, want: `report|tar.gz`, headers: map[string]string{"Content-Type": "text/plain"}},
		{name: "percent-decoded", path: "/files/a%20b%2Fc.txt", status: 200, want: `a b/c|txt`},
		{name: "unknown path", path: "/nope", status: 404, headers: jsonErr,
			want: `{"error":{"statusCode":404,"name":"NotFoundError","message":"Endpoint \"GET /nope\" not found."}}`},
		{name: "known path other verb", method: "DELETE", path: "/todos", status: 404,
			want: `{"error":{"statusCode":404,"name":"NotFoundError","message":"Endpoint \"DELETE /todos\" not found."}}`},
		{name: "HEAD has no route and no body", method: "HEAD", path: "/todos", status: 404, want: ``},
		{name: "fault not found", path: "/todos/99", status: 404,
			want: `{"error":{"statusCode":404,"name":"NotFoundError","message":"Entity not found: Todo with id 99","code":"ENTITY_NOT_FOUND"}}`},
		{name: "controller operation", path: "/ctl/todos/3", status: 200, want: `{"id":3,"title":"from controller"}`},
	})
}

func TestContractParameters(t *testing.T) {
	srv := httptest.NewServer(newTestApp(t, rest.Config{}))
	defer srv.Close()
	runContract(t, srv, []contractCase{
		{name: "invalid integer", path: "/todos/abc", status: 400, headers: jsonErr,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"abc\" for parameter \"id\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "unsafe integer", path: "/todos/9007199254740993", status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"9007199254740993\" for parameter \"id\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "missing required query", path: "/things/1", status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Required parameter q is missing!","code":"MISSING_REQUIRED_PARAMETER"}}`},
		{name: "empty required query", path: "/things/1?q=", status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Required parameter q is missing!","code":"MISSING_REQUIRED_PARAMETER"}}`},
		{name: "coercions", path: "/things/7?q=x&n=1.5&b=TRUE&d=2024-01-02T03:04:05Z&day=2024-01-02&raw=aGk%3D&tags=3",
			header: map[string]string{"X-Key": "k", "Cookie": "session=s1"}, status: 200,
			want: `{"X-Key":"string:k","b":"bool:true","d":"time:2024-01-02T03:04:05Z","day":"time:2024-01-02T00:00:00Z","id":"int64:7","n":"float64:1.5","q":"string:x","raw":"[]uint8:[104 105]","session":"string:s1","tags":"[]interface {}:[3]"}`},
		{name: "boolean 0", path: "/things/7?q=x&b=0", status: 200, want: `{"b":"bool:false","id":"int64:7","q":"string:x"}`},
		{name: "bad boolean", path: "/things/7?q=x&b=yes", status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"yes\" for parameter \"b\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "hex number", path: "/things/7?q=x&n=0x1p4", status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"0x1p4\" for parameter \"n\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "bad number", path: "/things/7?q=x&n=abc", status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"abc\" for parameter \"n\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "bad date-time", path: "/things/7?q=x&d=yesterday", status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"yesterday\" for parameter \"d\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "array of several", path: "/things/7?q=x&tags=1&tags=2", status: 200, want: `{"id":"int64:7","q":"string:x","tags":"[]interface {}:[1 2]"}`},
		{name: "array in bracket form", path: "/things/7?q=x&tags[]=1&tags[]=2", status: 200, want: `{"id":"int64:7","q":"string:x","tags":"[]interface {}:[1 2]"}`},
		{name: "bad array item", path: "/things/7?q=x&tags=1&tags=z", status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"z\" for parameter \"tags\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "object as JSON", path: `/todos?filter={"where":{"title":"x"},"limit":2}`, status: 200, want: `[{"title":"x"},2,null]`},
		{name: "object as nested query", path: `/todos?filter[where][title]=x&filter[limit]=2&filter[order][0]=title%20DESC`, status: 200,
			want: `[{"title":"x"},2,["title DESC"]]`},
		{name: "object failing its schema", path: `/todos?filter={"limit":0,"foo":1}`, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data {\"foo\":1,\"limit\":0} for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE","details":[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"foo"}},{"path":"/limit","code":"minimum","message":"must be >= 1","info":{"comparison":">=","limit":1}}]}}`},
		{name: "nested query failing its schema", path: `/todos?filter[limit]=abc`, status: 400, contain: true,
			want: `"details":[{"path":"/limit","code":"type","message":"must be integer","info":{"type":"integer"}}]`},
		{name: "object bad JSON", path: `/todos?filter={bad`, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"{bad\" for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE","details":{"syntaxError":"Unexpected token b in JSON at position 1"}}}`},
		{name: "__proto__ in JSON param", path: `/todos?filter={"where":{"__proto__":{"x":1}}}`, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"{\\\"where\\\":{\\\"__proto__\\\":{\\\"x\\\":1}}}\" for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE","details":{"syntaxError":"JSON string cannot contain \"__proto__\" key."}}}`},
		{name: "constructor.prototype in nested query", path: `/todos?filter[where][constructor][prototype][x]=1`, status: 400,
			contain: true, want: `"details":{"syntaxError":"JSON string cannot contain \"constructor.prototype\" key."}`},
	})
}

func TestContractBodies(t *testing.T) {
	srv := httptest.NewServer(newTestApp(t, rest.Config{MaxBodySize: 256}))
	defer srv.Close()
	ctJSON := map[string]string{"Content-Type": "application/json"}
	runContract(t, srv, []contractCase{
		{name: "json", method: "POST", path: "/todos", header: ctJSON, body: `{"title":"a"}`, status: 200, want: `{"id":5,"title":"a"}`},
		// LoopBack's JSON parser does not read a body without a Content-Type:
		// the operation sees {}, which the model schema refuses.
		{name: "no content type is an empty object", method: "POST", path: "/todos", body: `{"title":"a"}`, status: 422, headers: jsonErr,
			want: `{"error":{"statusCode":422,"name":"UnprocessableEntityError","message":"The request body is invalid. See error object ` + "`details`" + ` property for more info.","code":"VALIDATION_FAILED","details":[{"path":"","code":"required","message":"must have required property 'title'","info":{"missingProperty":"title"}}]}}`},
		{name: "no content type and no body", method: "POST", path: "/todos", status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Request body is required","code":"MISSING_REQUIRED_PARAMETER"}}`},
		{name: "no content type, any JSON accepted", method: "POST", path: "/echo", body: `[1]`, status: 200, want: `{"body":{}}`},
		{name: "charset utf-8", method: "POST", path: "/todos", header: map[string]string{"Content-Type": "application/json; charset=UTF-8"}, body: `{"title":"é"}`, status: 200, want: `{"id":5,"title":"é"}`},
		{name: "charset utf8", method: "POST", path: "/todos", header: map[string]string{"Content-Type": "application/json;charset=utf8"}, body: `{"title":"a"}`, status: 200, want: `{"id":5,"title":"a"}`},
		{name: "charset latin1", method: "POST", path: "/todos", header: map[string]string{"Content-Type": "application/json; charset=latin1"}, body: "{\"title\":\"\xe9\"}", status: 415, headers: jsonErr,
			want: `{"error":{"statusCode":415,"name":"UnsupportedMediaTypeError","message":"unsupported charset \"LATIN1\""}}`},
		{name: "charset utf-16", method: "POST", path: "/echo", header: map[string]string{"Content-Type": "application/json; charset=\"utf-16\""}, body: `[1]`, status: 415,
			want: `{"error":{"statusCode":415,"name":"UnsupportedMediaTypeError","message":"unsupported charset \"UTF-16\""}}`},
		{name: "charset on text is not judged", method: "POST", path: "/echo", header: map[string]string{"Content-Type": "text/plain; charset=latin1"}, body: `hi`, status: 200, want: `text:hi`},
		{name: "invalid utf-8", method: "POST", path: "/todos", header: ctJSON, body: "{\"title\":\"a\xff\"}", status: 400,
			want: `{"error":{"statusCode":400,"name":"SyntaxError","message":"Invalid UTF-8 in JSON at position 11"}}`},
		{name: "lone surrogate escape", method: "POST", path: "/echo", header: ctJSON, body: `["\\ud800 ok","\ud83d\ude00","\ud800"]`, status: 400,
			want: `{"error":{"statusCode":400,"name":"SyntaxError","message":"Lone surrogate in JSON at position 30"}}`},
		{name: "lone low surrogate escape", method: "POST", path: "/echo", header: ctJSON, body: `["\ud83d\ude00","\\ud800","\udc00"]`, status: 400,
			want: `{"error":{"statusCode":400,"name":"SyntaxError","message":"Lone surrogate in JSON at position 27"}}`},
		{name: "surrogate pair escape", method: "POST", path: "/echo", header: ctJSON, body: `["\ud83d\ude00","\\ud800"]`, status: 200, want: `{"body":["😀","\\ud800"]}`},
		{name: "truncated utf-8 sequence", method: "POST", path: "/echo", header: ctJSON, body: "[\"\xc3\"]", status: 400,
			want: `{"error":{"statusCode":400,"name":"SyntaxError","message":"Invalid UTF-8 in JSON at position 2"}}`},
		{name: "vendor +json", method: "POST", path: "/echo", header: map[string]string{"Content-Type": "application/vnd.api+json"}, body: `[1,"x"]`, status: 415, contain: true, want: `UNSUPPORTED_MEDIA_TYPE`},
		{name: "any json value", method: "POST", path: "/echo", header: ctJSON, body: `[1,"x",null]`, status: 200, want: `{"body":[1,"x",null]}`},
		{name: "unsupported media type", method: "POST", path: "/todos", header: map[string]string{"Content-Type": "text/plain"}, body: `x`, status: 415, headers: jsonErr,
			want: `{"error":{"statusCode":415,"name":"UnsupportedMediaTypeError","message":"Content-type text/plain does not match [application/json].","code":"UNSUPPORTED_MEDIA_TYPE"}}`},
		{name: "malformed json", method: "POST", path: "/todos", header: ctJSON, body: `{"title":`, status: 400,
			want: `{"error":{"statusCode":400,"name":"SyntaxError","message":"Unexpected end of JSON input"}}`},
		{name: "too large", method: "POST", path: "/todos", header: ctJSON, body: `{"title":"` + strings.Repeat("x", 300) + `"}`, status: 413,
			want: `{"error":{"statusCode":413,"name":"PayloadTooLargeError","message":"request entity too large"}}`},
		{name: "missing body", method: "POST", path: "/todos", header: ctJSON, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Request body is required","code":"MISSING_REQUIRED_PARAMETER"}}`},
		{name: "__proto__ in body", method: "POST", path: "/todos", header: ctJSON, body: `{"title":"a","__proto__":{"x":1}}`, status: 400,
			want: `{"error":{"statusCode":400,"name":"SyntaxError","message":"JSON string cannot contain \"__proto__\" key."}}`},
		{name: "invalid body", method: "POST", path: "/todos", header: ctJSON, body: `{"title":1,"priority":0,"extra":true}`, status: 422, headers: jsonErr,
			want: `{"error":{"statusCode":422,"name":"UnprocessableEntityError","message":"The request body is invalid. See error object ` + "`details`" + ` property for more info.","code":"VALIDATION_FAILED","details":[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"extra"}},{"path":"/title","code":"type","message":"must be string","info":{"type":"string"}},{"path":"/priority","code":"minimum","message":"must be >= 1","info":{"comparison":">=","limit":1}}]}}`},
		{name: "url-encoded with coercion", method: "POST", path: "/echo", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body: `n=3&ok=true&s=x&a[b]=c`, status: 200,
			want: `{"body":{"a":{"b":"c"},"n":3,"ok":true,"s":"x"}}`},
		{name: "text", method: "POST", path: "/echo", header: map[string]string{"Content-Type": "text/plain"}, body: `hello`, status: 200, want: `text:hello`},
		{name: "raw", method: "POST", path: "/echo", header: map[string]string{"Content-Type": "application/octet-stream"}, body: "\x01\x02", status: 200, want: `bytes:[1 2]`},
		{name: "multipart", method: "POST", path: "/echo", header: map[string]string{"Content-Type": "multipart/form-data; boundary=XX"},
			body:   "--XX\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\ndata\r\n--XX--\r\n",
			status: 200, want: `file:a.txt:text/plain:data:hi`},
	})
}

func TestContractErrorsAndResponses(t *testing.T) {
	var logs bytes.Buffer
	srv := httptest.NewServer(newTestApp(t, rest.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))}))
	defer srv.Close()
	defer func() {
		if got := logs.String(); !strings.Contains(got, `error="database password leaked"`) || strings.Contains(got, "status=404") {
			t.Errorf("log: got %q; want the 500 logged and no 4xx", got)
		}
	}()
	runContract(t, srv, []contractCase{
		{name: "500 hides the message", path: "/boom", status: 500, headers: jsonErr,
			want: `{"error":{"statusCode":500,"message":"Internal Server Error"}}`},
		{name: "html error page", path: "/nope", header: map[string]string{"Accept": "text/html"}, status: 404,
			headers: map[string]string{"Content-Type": "text/html; charset=utf-8"}, contain: true, want: `<title>NotFoundError</title>`},
		{name: "xml error page", path: "/nope", header: map[string]string{"Accept": "application/xml"}, status: 404,
			headers: map[string]string{"Content-Type": "application/xml; charset=utf-8"}, contain: true,
			want: `<error><statusCode>404</statusCode><name>NotFoundError</name><message>Endpoint &#34;GET /nope&#34; not found.</message></error>`},
		{name: "void is 204", method: "DELETE", path: "/todos/1", status: 204, want: ``},
		{name: "bytes", path: "/bytes", status: 200, headers: map[string]string{"Content-Type": "application/octet-stream"}, want: "\x01\x02\x03"},
		{name: "status and header from output", method: "POST", path: "/created", header: map[string]string{"Content-Type": "application/json"}, body: `{"title":"a"}`, status: 201,
			headers: map[string]string{"Location": "/todos/5"}, want: `{"id":5,"title":"a"}`},
		{name: "handler writes itself", path: "/writes", status: 202, headers: map[string]string{"Content-Type": "text/csv"}, want: "a,b\n"},
	})
	debug := httptest.NewServer(newTestApp(t, rest.Config{Debug: true, Logger: slog.New(slog.DiscardHandler)}))
	defer debug.Close()
	runContract(t, debug, []contractCase{
		{name: "debug shows the message", path: "/boom", status: 500,
			want: `{"error":{"statusCode":500,"name":"InternalServerError","message":"database password leaked"}}`},
	})
}

func TestContractCORS(t *testing.T) {
	srv := httptest.NewServer(newTestApp(t, rest.Config{}))
	defer srv.Close()
	runContract(t, srv, []contractCase{
		{name: "simple request", path: "/todos/1", header: map[string]string{"Origin": "http://x.test"}, status: 200,
			headers: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true"}, want: `{"id":1,"title":"t1"}`},
		{name: "on errors too", path: "/nope", status: 404,
			headers: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true"}, contain: true, want: `NotFoundError`},
		{name: "preflight", method: "OPTIONS", path: "/todos/1",
			header: map[string]string{"Origin": "http://x.test", "Access-Control-Request-Method": "DELETE", "Access-Control-Request-Headers": "content-type"},
			status: 204, headers: map[string]string{
				"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true",
				"Access-Control-Allow-Methods": "GET,HEAD,PUT,PATCH,POST,DELETE", "Access-Control-Max-Age": "86400",
				"Access-Control-Allow-Headers": "content-type"}, want: ``},
	})
	cfg := rest.Config{CORS: rest.CORSConfig{Origins: []string{"http://ok.test"}, MaxAge: 60}}
	strict := httptest.NewServer(newTestApp(t, cfg))
	defer strict.Close()
	runContract(t, strict, []contractCase{
		{name: "allowed origin echoed", path: "/todos/1", header: map[string]string{"Origin": "http://ok.test"}, status: 200,
			headers: map[string]string{"Access-Control-Allow-Origin": "http://ok.test", "Vary": "Origin"}, want: `{"id":1,"title":"t1"}`},
		{name: "other origin", path: "/todos/1", header: map[string]string{"Origin": "http://evil.test"}, status: 200,
			headers: map[string]string{"Access-Control-Allow-Origin": ""}, want: `{"id":1,"title":"t1"}`},
		{name: "configured max age", method: "OPTIONS", path: "/todos/1", header: map[string]string{"Origin": "http://ok.test"}, status: 204,
			headers: map[string]string{"Access-Control-Max-Age": "60"}, want: ``},
	})
}

func TestContractSpec(t *testing.T) {
	srv := httptest.NewServer(newTestApp(t, rest.Config{}))
	defer srv.Close()
	runContract(t, srv, []contractCase{
		{name: "json document, pretty", path: "/openapi.json", status: 200,
			headers: map[string]string{"Content-Type": "application/json; charset=utf-8"}, contain: true, want: "{\n  \"openapi\": \"3.1.0\",\n  \"info\": {"},
		{name: "servers default to /", path: "/openapi.json", status: 200, contain: true, want: "\"servers\": [\n    {\n      \"url\": \"/\"\n    }\n  ]"},
		{name: "controller operationId and tag", path: "/openapi.json", status: 200, contain: true,
			want: "\"tags\": [\n          \"TodoController\"\n        ],\n        \"operationId\": \"TodoController.findByID\""},
		{name: "yaml document", path: "/openapi.yaml", status: 200,
			headers: map[string]string{"Content-Type": "text/yaml; charset=utf-8"}, contain: true, want: "openapi: 3.1.0\ninfo:\n"},
		{name: "3.0.3 on request", path: "/openapi.yaml?openapi=3.0", status: 200, contain: true, want: "openapi: 3.0.3\n"},
	})
}
