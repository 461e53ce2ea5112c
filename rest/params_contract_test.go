package rest_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

// Query strings and url-encoded bodies are decoded as LoopBack's parsers
// (qs, body-parser) decode them: a value whose percent-escapes do not
// decode is kept as it was sent, never dropped.
func TestContractUndecodableEscapes(t *testing.T) {
	srv := httptest.NewServer(newTestApp(t, rest.Config{}))
	defer srv.Close()
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	runContract(t, srv, []contractCase{
		{name: "nested where with a lone %", path: `/todos?filter[where][title]=100%`, status: 200, want: `[{"title":"100%"},0,null]`},
		{name: "nested where with %zz", path: `/todos?filter[where][title]=a%zz&filter[limit]=2`, status: 200, want: `[{"title":"a%zz"},2,null]`},
		{name: "undecodable value keeps + as space", path: `/todos?filter[where][title]=a+b%20c%`, status: 200, want: `[{"title":"a b%20c%"},0,null]`},
		{name: "escapes that are not UTF-8", path: `/todos?filter[where][title]=%FF`, status: 200, want: `[{"title":"%FF"},0,null]`},
		{name: "JSON filter with a literal %", path: `/todos?filter={"where":{"title":"100%"}}`, status: 200, want: `[{"title":"100%"},0,null]`},
		{name: "encoded JSON filter with a bad escape is a 400, not no filter", path: `/todos?filter=%7B%22limit%22%3A1%7D%zz`, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"%7B%22limit%22%3A1%7D%zz\" for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE","details":{"syntaxError":"Unexpected token % in JSON at position 0"}}}`},
		{name: "scalar with a lone %", path: `/things/7?q=100%`, status: 200, want: `{"id":"int64:7","q":"string:100%"}`},
		{name: "semicolon is an ordinary character", path: `/things/7?q=a;b`, status: 200, want: `{"id":"int64:7","q":"string:a;b"}`},
		{name: "too many query parameters", path: `/todos?` + strings.Repeat("a=1&", 1000) + `filter[where][title]=x`, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"too many parameters"}}`},
		{name: "url-encoded body with a lone %", method: "POST", path: "/echo", header: form, body: `s=100%&n=3`, status: 200,
			want: `{"body":{"n":3,"s":"100%"}}`},
		{name: "url-encoded body with too many parameters", method: "POST", path: "/echo", header: form, body: strings.Repeat("a=1&", 1000) + "n=3", status: 413,
			want: `{"error":{"statusCode":413,"name":"PayloadTooLargeError","message":"too many parameters"}}`},
	})
}

// Messages speak JSON, not Go, and quote at most 100 characters of the
// input.
func TestContractJSONMessages(t *testing.T) {
	srv := httptest.NewServer(newTestApp(t, rest.Config{}))
	defer srv.Close()
	ctJSON := map[string]string{"Content-Type": "application/json"}
	long := strings.Repeat("x", 150)
	runContract(t, srv, []contractCase{
		{name: "number out of range in a body", method: "POST", path: "/echo", header: ctJSON, body: `{"n":1e999}`, status: 400,
			want: `{"error":{"statusCode":400,"name":"SyntaxError","message":"number 1e999 is out of range"}}`},
		{name: "number out of range in a filter", path: `/todos?filter={"limit":1e999}`, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"{\\\"limit\\\":1e999}\" for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE","details":{"syntaxError":"number 1e999 is out of range"}}}`},
		{name: "number too large for a typed body", method: "POST", path: "/todos", header: ctJSON, body: `{"title":"a","priority":1e300}`, status: 422,
			want: `{"error":{"statusCode":422,"name":"UnprocessableEntityError","message":"The request body is invalid. See error object ` + "`details`" + ` property for more info.","code":"VALIDATION_FAILED","details":[{"path":"/priority","code":"format","message":"must match format \"int64\"","info":{"format":"int64"}}]}}`},
		{name: "malformed body", method: "POST", path: "/todos", header: ctJSON, body: `{"title":"a",}`, status: 400,
			want: `{"error":{"statusCode":400,"name":"SyntaxError","message":"Unexpected token } in JSON at position 13"}}`},
		{name: "long bad value is cut", path: "/things/" + long + "?q=x", status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"` + long[:100] + `…\" for parameter \"id\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "long bad object is cut", path: `/todos?filter={"limit":0,"where":{"title":"` + long + `"}}`, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data {\"limit\":0,\"where\":{\"title\":\"` + long[:71] + `… for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE","details":[{"path":"/limit","code":"minimum","message":"must be >= 1","info":{"comparison":">=","limit":1}}]}}`},
	})
}

// An object parameter whose value parses but is not an object is LoopBack's
// INVALID_PARAMETER_VALUE quoting the value as sent, without details.
func TestContractObjectParamNotObject(t *testing.T) {
	srv := httptest.NewServer(newTestApp(t, rest.Config{}))
	defer srv.Close()
	runContract(t, srv, []contractCase{
		{name: "array", path: `/todos?filter=[1]`, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"[1]\" for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "number", path: `/todos?filter=1`, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"1\" for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "string", path: `/todos?filter="x"`, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"\\\"x\\\"\" for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "nested form array", path: `/todos?filter[0]=1`, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data [\"1\"] for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE"}}`},
	})
}

// Cookie parameters are read as Express's cookie module reads them: a
// value http.Request.Cookie would drop (quotes, spaces, JSON) is read, and
// percent-escapes are decoded when they decode.
func TestContractCookieValues(t *testing.T) {
	srv := httptest.NewServer(newTestApp(t, rest.Config{}))
	defer srv.Close()
	cookie := func(v string) map[string]string { return map[string]string{"Cookie": v} }
	runContract(t, srv, []contractCase{
		{name: "plain", path: `/things/7?q=x`, header: cookie("a=1; session=s1"), status: 200, want: `{"id":"int64:7","q":"string:x","session":"string:s1"}`},
		{name: "JSON text", path: `/things/7?q=x`, header: cookie(`session={"a":"b c"}`), status: 200, want: `{"id":"int64:7","q":"string:x","session":"string:{\"a\":\"b c\"}"}`},
		{name: "quoted", path: `/things/7?q=x`, header: cookie(`session="s 1"`), status: 200, want: `{"id":"int64:7","q":"string:x","session":"string:s 1"}`},
		{name: "escaped", path: `/things/7?q=x`, header: cookie(`session=a%20b+c`), status: 200, want: `{"id":"int64:7","q":"string:x","session":"string:a b+c"}`},
		{name: "undecodable kept", path: `/things/7?q=x`, header: cookie(`session=100%`), status: 200, want: `{"id":"int64:7","q":"string:x","session":"string:100%"}`},
		{name: "first one wins", path: `/things/7?q=x`, header: cookie(`session=one; session=two`), status: 200, want: `{"id":"int64:7","q":"string:x","session":"string:one"}`},
	})
}

// A JSON object parameter sent together with its nested form, or twice, is
// what qs makes of it, an array, which LoopBack refuses: no part of it is
// ignored.
func TestContractObjectParamSentTwice(t *testing.T) {
	srv := httptest.NewServer(newTestApp(t, rest.Config{}))
	defer srv.Close()
	runContract(t, srv, []contractCase{
		{name: "JSON and nested", path: `/todos?filter={"limit":2}&filter[where][title]=x`, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data [\"{\\\"limit\\\":2}\",{\"where\":{\"title\":\"x\"}}] for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "JSON twice", path: `/todos?filter={"limit":2}&filter={"limit":3}`, status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data [\"{\\\"limit\\\":2}\",\"{\\\"limit\\\":3}\"] for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "another parameter's nested form is not this one's", path: `/todos?filter={"limit":2}&filterx[a]=1`, status: 200, want: `[null,2,null]`},
	})
}

// A header parameter sent several times is its values joined with ", ",
// as Node.js gives it to LoopBack, not only its first value.
func TestRepeatedHeaderParam(t *testing.T) {
	s := newTestApp(t, rest.Config{})
	for _, tc := range []struct {
		name   string
		values []string
		want   string
	}{
		{"X-Key", []string{"a", "b"}, `{"X-Key":"string:a, b","id":"int64:7","q":"string:x"}`},
		{"X-Key", []string{"a"}, `{"X-Key":"string:a","id":"int64:7","q":"string:x"}`},
	} {
		r := httptest.NewRequest("GET", "/things/7?q=x", nil)
		for _, v := range tc.values {
			r.Header.Add(tc.name, v)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if got := w.Body.String(); w.Code != 200 || got != tc.want {
			t.Errorf("%s %v: got %d %s; want 200 %s", tc.name, tc.values, w.Code, got, tc.want)
		}
	}
}

// An array header parameter takes the items of every repeat of the header.
func TestRepeatedArrayHeaderParam(t *testing.T) {
	s := rest.New(rest.Config{Logger: discard()})
	op := &openapi.Operation{OperationID: "ids", Parameters: []*openapi.Parameter{{Name: "X-Ids", In: "header",
		Schema: &openapi.Schema{Type: openapi.Types{"array"}, Items: &openapi.Schema{Type: openapi.Types{"integer"}}}}}}
	s.Route("GET", "/ids", op, func(_ context.Context, req *rest.Request) (any, error) {
		return req.Params["X-Ids"], nil
	})
	r := httptest.NewRequest("GET", "/ids", nil)
	r.Header.Add("X-Ids", "1, 2")
	r.Header.Add("X-Ids", "3")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if got := w.Body.String(); w.Code != 200 || got != `[1,2,3]` {
		t.Errorf("got %d %s; want 200 [1,2,3]", w.Code, got)
	}
}

// A multipart body that does not parse is a 400 that does not repeat Go's
// reason, which quotes the body.
func TestContractMalformedMultipart(t *testing.T) {
	srv := httptest.NewServer(newTestApp(t, rest.Config{}))
	defer srv.Close()
	runContract(t, srv, []contractCase{
		{name: "garbage between parts", method: "POST", path: "/echo", header: map[string]string{"Content-Type": "multipart/form-data; boundary=XX"},
			body: "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XX\r\nsecret-garbage", status: 400,
			want: `{"error":{"statusCode":400,"name":"SyntaxError","message":"malformed multipart body"}}`},
	})
}
