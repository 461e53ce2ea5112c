package crud_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loopback-go/lb/crud"
)

// paramCase is one request and LoopBack's answer to it: status and exact
// body.
type paramCase struct {
	name, method, path, body string
	status                   int
	want                     string
}

func runParamCases(t *testing.T, ts *httptest.Server, cases []paramCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := call(t, ts, tc.method, tc.path, tc.body)
			if status != tc.status || body != tc.want {
				t.Errorf("%s %s: got %d %s\nwant %d %s", tc.method, tc.path, status, body, tc.status, tc.want)
			}
		})
	}
}

// paramServer serves Todo with three instances whose titles hold a "%".
func paramServer(t *testing.T) *httptest.Server {
	t.Helper()
	_, ts := serve(t, newRepo[Todo](t), crud.Options{})
	for _, title := range []string{"100%", "a%zz", "other"} {
		if status, body := call(t, ts, "POST", "/todos", `{"title":"`+title+`"}`); status != 200 {
			t.Fatalf("create %s: %d %s", title, status, body)
		}
	}
	return ts
}

const allThree = `[{"id":1,"title":"100%"},{"id":2,"title":"a%zz"},{"id":3,"title":"other"}]`

// TestWhereNeverWidens: a where or filter value whose percent-escapes do
// not decode is kept as sent (as LoopBack's query parser keeps it), never
// dropped; a where that is present but decodes to nothing is a 400. No
// write may reach instances the where does not select.
func TestWhereNeverWidens(t *testing.T) {
	ts := paramServer(t)
	emptyWhere := `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"\" for parameter \"where\".","code":"INVALID_PARAMETER_VALUE"}}`
	runParamCases(t, ts, []paramCase{
		{"count with a lone %", "GET", `/todos/count?where[title]=100%`, "", 200, `{"count":1}`},
		{"count with %zz", "GET", `/todos/count?where[title]=a%zz`, "", 200, `{"count":1}`},
		{"find with a lone %", "GET", `/todos?filter[where][title]=100%`, "", 200, `[{"id":1,"title":"100%"}]`},
		{"find with %zz in JSON", "GET", `/todos?filter={"where":{"title":"a%zz"}}`, "", 200, `[{"id":2,"title":"a%zz"}]`},
		{"encoded JSON where with a bad escape", "GET", `/todos/count?where=%7B%22title%22%3A%22x%22%7D%zz`, "", 400,
			`{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"%7B%22title%22%3A%22x%22%7D%zz\" for parameter \"where\".","code":"INVALID_PARAMETER_VALUE","details":{"syntaxError":"Unexpected token % in JSON at position 0"}}}`},
		{"updateAll with an empty where", "PATCH", `/todos?where=`, `{"desc":"all"}`, 400, emptyWhere},
		{"updateAll with a bare where", "PATCH", `/todos?where`, `{"desc":"all"}`, 400, emptyWhere},
		{"count with an empty where", "GET", `/todos/count?where=`, "", 400, emptyWhere},
		{"updateAll with too many parameters", "PATCH", `/todos?` + strings.Repeat("x=1&", 1000) + `where[title]=100%`, `{"desc":"all"}`, 400,
			`{"error":{"statusCode":400,"name":"BadRequestError","message":"too many parameters"}}`},
		{"nothing changed", "GET", `/todos`, "", 200, allThree},
		{"updateAll with a lone %", "PATCH", `/todos?where[title]=100%`, `{"desc":"pct"}`, 200, `{"count":1}`},
		{"updateAll with %zz", "PATCH", `/todos?where={"title":"a%zz"}`, `{"desc":"zz"}`, 200, `{"count":1}`},
		{"only the selected changed", "GET", `/todos`, "", 200,
			`[{"id":1,"title":"100%","desc":"pct"},{"id":2,"title":"a%zz","desc":"zz"},{"id":3,"title":"other"}]`},
	})
}

// TestFilterParamContract checks LoopBack's answers to filters that parse
// but do not fit: a non-object, an include on a model without relations,
// a number JSON cannot represent.
func TestFilterParamContract(t *testing.T) {
	ts := paramServer(t)
	include := `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data {\"include\":[\"x\"]} for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE","details":[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"include"}}]}}`
	runParamCases(t, ts, []paramCase{
		{"filter not an object", "GET", `/todos?filter=[1]`, "", 400,
			`{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"[1]\" for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{"where not an object", "PATCH", `/todos?where=[1]`, `{"desc":"x"}`, 400,
			`{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"[1]\" for parameter \"where\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{"include without relations", "GET", `/todos?filter={"include":["x"]}`, "", 400, include},
		{"include without relations, findById", "GET", `/todos/1?filter={"include":["x"]}`, "", 400, include},
		{"include without relations, nested form", "GET", `/todos?filter[include][0]=x`, "", 400, include},
		{"number out of range", "GET", `/todos/count?where={"id":1e999}`, "", 400,
			`{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"{\\\"id\\\":1e999}\" for parameter \"where\".","code":"INVALID_PARAMETER_VALUE","details":{"syntaxError":"number 1e999 is out of range"}}}`},
		{"nothing changed", "GET", `/todos`, "", 200, allThree},
	})
}

// TestNumericPathID: a numeric id is a JSON-schema number, as in
// LoopBack: 1.5 is an id no instance has (404), "abc" is not a number
// (400), 1.0 is the id 1.
func TestNumericPathID(t *testing.T) {
	ts := paramServer(t)
	notFound := func(id string) string {
		return `{"error":{"statusCode":404,"name":"Error","message":"Entity not found: Todo with id ` + id + `","code":"ENTITY_NOT_FOUND"}}`
	}
	badID := `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"abc\" for parameter \"id\".","code":"INVALID_PARAMETER_VALUE"}}`
	runParamCases(t, ts, []paramCase{
		{"GET fraction", "GET", `/todos/1.5`, "", 404, notFound("1.5")},
		{"PATCH fraction", "PATCH", `/todos/1.5`, `{"desc":"x"}`, 404, notFound("1.5")},
		{"PUT fraction", "PUT", `/todos/1.5`, `{"title":"x"}`, 404, notFound("1.5")},
		{"DELETE fraction", "DELETE", `/todos/1.5`, "", 404, notFound("1.5")},
		{"beyond 2^53", "GET", `/todos/9007199254740993`, "", 404, notFound("9007199254740992")},
		{"GET not a number", "GET", `/todos/abc`, "", 400, badID},
		{"PATCH not a number", "PATCH", `/todos/abc`, `{"desc":"x"}`, 400, badID},
		{"PUT not a number", "PUT", `/todos/abc`, `{"title":"x"}`, 400, badID},
		{"DELETE not a number", "DELETE", `/todos/abc`, "", 400, badID},
		{"whole number written as a fraction", "GET", `/todos/1.0`, "", 200, `{"id":1,"title":"100%"}`},
		{"exponent", "PATCH", `/todos/2e0`, `{"desc":"two"}`, 204, ``},
		{"nothing else changed", "GET", `/todos`, "", 200,
			`[{"id":1,"title":"100%"},{"id":2,"title":"a%zz","desc":"two"},{"id":3,"title":"other"}]`},
	})
	doc := docOf(t, ts)
	params, _ := get(doc, "paths", "/todos/{id}", "get", "parameters").([]any)
	if len(params) == 0 {
		t.Fatal("GET /todos/{id} has no parameters")
	}
	if typ := get(params[0], "schema", "type"); typ != "number" {
		t.Errorf("id schema type = %v; want number, as LoopBack declares it", typ)
	}
}
