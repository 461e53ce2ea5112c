package crud

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// testEncoder is the encoder of def's repository on a memory connector.
func testEncoder(tb testing.TB, def *model.Definition) *encoder {
	tb.Helper()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	repo, err := repository.NewModel(conn, def)
	if err != nil {
		tb.Fatal(err)
	}
	return newEncoder(repo)
}

func TestEncoder(t *testing.T) {
	def := &model.Definition{Name: "Thing", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1},
		{Name: "title", Type: model.String},
		{Name: "secret", Type: model.String, Hidden: true},
		{Name: "when", Type: model.Date},
		{Name: "score", Type: model.Number},
	}}
	e := testEncoder(t, def)
	tests := []struct {
		name string
		rec  map[string]any
		want string
	}{
		{"declaration order", map[string]any{"title": "a", "id": int64(1)}, `{"id":1,"title":"a"}`},
		{"hidden left out", map[string]any{"id": int64(2), "secret": "x"}, `{"id":2}`},
		{"null kept", map[string]any{"id": int64(3), "title": nil}, `{"id":3,"title":null}`},
		{"extra keys sorted after", map[string]any{"z": true, "id": int64(4), "a": []any{1.5, "x"}}, `{"id":4,"a":[1.5,"x"],"z":true}`},
		{"time and float", map[string]any{"id": int64(-5), "when": time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "score": 0.1}, `{"id":-5,"when":"2026-01-02T03:04:05Z","score":0.1}`},
		{"escaping", map[string]any{"id": int64(6), "title": "a\"b\\c\n\t\x01<&>é\xff"}, `{"id":6,"title":"a\"b\\c\n\t\u0001<&>é` + "\ufffd" + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.record(tt.rec)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %s; want %s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("%s is not valid JSON", got)
			}
		})
	}
	got, err := e.records([]map[string]any{{"id": int64(1)}, {"id": int64(2)}})
	if err != nil || string(got) != `[{"id":1},{"id":2}]` {
		t.Errorf("records: got %s, %v", got, err)
	}
	if got, _ := e.records(nil); string(got) != "[]" {
		t.Errorf("records(nil): got %s; want []", got)
	}
	if _, err := e.record(map[string]any{"id": int64(1), "title": make(chan int)}); err == nil {
		t.Error("a value JSON cannot hold: got no error")
	}
}

// BenchmarkEncodeRecords measures the encoding of ten todos, the response
// of GET /todos in the benchmark harness.
func BenchmarkEncodeRecords(b *testing.B) {
	def := &model.Definition{Name: "Todo", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String, Required: true},
		{Name: "desc", Type: model.String},
		{Name: "isComplete", Type: model.Boolean},
		{Name: "remindAtAddress", Type: model.String},
		{Name: "remindAtGeo", Type: model.String},
		{Name: "tag", Type: model.Any},
	}}
	e := testEncoder(b, def)
	recs := make([]map[string]any, 10)
	for i := range recs {
		recs[i] = map[string]any{"id": int64(i + 1), "title": "benchmark todo", "desc": "created by the benchmark", "isComplete": false}
	}
	b.ReportAllocs()
	buf := make([]byte, 0, 2048)
	for b.Loop() {
		buf = append(buf[:0], '[')
		for i, rec := range recs {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = e.appendRecord(buf, rec); err != nil {
				b.Fatal(err)
			}
		}
	}
}
