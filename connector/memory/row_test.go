package memory

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/internal/jsonw"
	"github.com/loopback-go/lb/model"
)

// rowDef has properties of every type, one of them hidden.
var rowDef = &model.Definition{
	Name: "Row",
	Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String},
		{Name: "n", Type: model.Number},
		{Name: "done", Type: model.Boolean},
		{Name: "when", Type: model.Date},
		{Name: "blob", Type: model.Buffer},
		{Name: "obj", Type: model.Object},
		{Name: "list", Type: model.Array},
		{Name: "secret", Type: model.String},
		{Name: "tag", Type: model.Any},
	},
	Settings: model.Settings{Hidden: []string{"secret"}},
}

// TestRowRoundTrip checks that a decoded row is the record that was
// encoded, value types included, and that field and decodeSome read the
// same values.
func TestRowRoundTrip(t *testing.T) {
	rc := newRowCodec(rowDef)
	when := time.Date(2026, 11, 23, 22, 50, 1, 123456789, time.FixedZone("", 3600)) // a zone keeps its offset, not its name
	recs := []connector.Record{
		{},
		{"id": int64(1)},
		{"id": int64(math.MinInt64), "n": math.MaxFloat64, "done": true, "title": ""},
		{"id": int64(math.MaxInt64), "n": -0.5, "done": false, "title": "é\x00\"\\\u2028", "secret": "s"},
		{"when": when, "blob": []byte{0, 1, 255}, "obj": map[string]any{"b": nil, "a": []any{int64(1), "x", map[string]any{}}}},
		{"list": []any{}, "tag": nil, "extra": "x", "another": 1.5, "": true},
		{"title": strings.Repeat("long ", 100), "tag": map[string]any{"nested": map[string]any{"deep": []any{true, false, nil}}}},
	}
	for _, rec := range recs {
		row, plain, err := rc.encode(rec)
		if err != nil {
			t.Fatalf("encode %v: %v", rec, err)
		}
		got := rc.decode(row)
		if !reflect.DeepEqual(got, rec) {
			t.Errorf("decode(encode(%v)) = %v", rec, got)
		}
		wantPlain := true
		for _, v := range rec {
			switch v.(type) {
			case []byte, []any, map[string]any:
				wantPlain = false
			}
		}
		if plain != wantPlain {
			t.Errorf("encode(%v): plain %v; want %v", rec, plain, wantPlain)
		}
		for k, v := range rec {
			if fv, ok := rc.field(row, k); !ok || !reflect.DeepEqual(fv, v) {
				t.Errorf("field(%q) of %v = %v, %v; want %v", k, rec, fv, ok, v)
			}
			some := rc.decodeSome(connector.Record{}, row, rc.set([]string{k}, false), false)
			if !reflect.DeepEqual(some, connector.Record{k: v}) {
				t.Errorf("decodeSome(%q) of %v = %v", k, rec, some)
			}
		}
		if _, ok := rc.field(row, "absent"); ok {
			t.Errorf("field(absent) of %v: found", rec)
		}
	}
}

// TestRowDecodeOwnsValues checks that decoded buffers, objects and arrays
// are new: changing them changes neither the row nor later decodes.
func TestRowDecodeOwnsValues(t *testing.T) {
	rc := newRowCodec(rowDef)
	rec := connector.Record{"blob": []byte{1}, "obj": map[string]any{"k": "v"}, "list": []any{"a"}}
	row, _, err := rc.encode(rec)
	if err != nil {
		t.Fatal(err)
	}
	rec["blob"].([]byte)[0] = 9
	got := rc.decode(row)
	got["blob"].([]byte)[0] = 8
	got["obj"].(map[string]any)["k"] = "changed"
	got["list"].([]any)[0] = "changed"
	want := connector.Record{"blob": []byte{1}, "obj": map[string]any{"k": "v"}, "list": []any{"a"}}
	if again := rc.decode(row); !reflect.DeepEqual(again, want) {
		t.Errorf("after changing the caller's values: decode = %v; want %v", again, want)
	}
}

// TestRowOtherTypes checks that values of other Go types are stored as the
// record types model.Normalize makes of them, and that values JSON cannot
// hold are refused.
func TestRowOtherTypes(t *testing.T) {
	rc := newRowCodec(rowDef)
	type point struct {
		X int `json:"x"`
	}
	row, plain, err := rc.encode(connector.Record{"n": 3, "tag": point{X: 2}, "extra": int32(-4)})
	if err != nil {
		t.Fatal(err)
	}
	want := connector.Record{"n": int64(3), "tag": map[string]any{"x": int64(2)}, "extra": int64(-4)}
	if got := rc.decode(row); !reflect.DeepEqual(got, want) || plain {
		t.Errorf("decode = %v (plain %v); want %v, not plain", got, plain, want)
	}
	if _, _, err := rc.encode(connector.Record{"tag": make(chan int)}); err == nil || !strings.Contains(err.Error(), `"tag"`) {
		t.Errorf("a channel: got %v; want an error naming the property", err)
	}
}

// TestRowJSON checks the JSON written from rows: the visible members, the
// properties in declaration order then other keys sorted, values as
// encoding/json writes them except strings (written as JSON.stringify
// does) — the bytes the CRUD encoder writes for the same record.
func TestRowJSON(t *testing.T) {
	rc := newRowCodec(rowDef)
	when := time.Date(2026, 11, 23, 22, 50, 1, 5e8, time.UTC)
	rec := connector.Record{
		"zeta": "z", "tag": []any{1.5, "<&>"}, "secret": "hidden", "title": "a<b>&\u2028",
		"id": int64(-12), "n": 1e21, "done": true, "when": when, "blob": []byte("hi"), "obj": map[string]any{"b": 1.0, "a": nil},
		"alpha": nil,
	}
	row, _, err := rc.encode(rec)
	if err != nil {
		t.Fatal(err)
	}
	got, err := rc.appendJSON([]byte("prefix"), row)
	if err != nil {
		t.Fatal(err)
	}
	want := `prefix{"id":-12,"title":"a<b>&` + "\u2028" + `","n":1e+21,"done":true,"when":"2026-11-23T22:50:01.5Z","blob":"aGk=",` +
		`"obj":{"a":null,"b":1},"tag":[1.5,"\u003c\u0026\u003e"],"alpha":null,"zeta":"z"}`
	if string(got) != want {
		t.Errorf("appendJSON:\n got %s\nwant %s", got, want)
	}
	if _, err := rc.appendJSON(nil, mustEncode(t, rc, connector.Record{"n": math.NaN()})); err == nil {
		t.Error("NaN: got no error; JSON cannot hold it")
	}
}

func mustEncode(t testing.TB, rc *rowCodec, rec connector.Record) string {
	t.Helper()
	row, _, err := rc.encode(rec)
	if err != nil {
		t.Fatal(err)
	}
	return row
}

// FuzzRow encodes records decoded from arbitrary JSON objects: decoding
// the row gives the record back, and the row's JSON decodes to the
// record's JSON without the hidden property.
func FuzzRow(f *testing.F) {
	f.Add([]byte(`{"id":1,"title":"t","n":1.5,"done":true,"secret":"s","x":{"b":[1,"2",null]},"a":false}`))
	f.Add([]byte(`{"title":"\u0000\ud800","list":[[[]]],"obj":{},"":-0}`))
	f.Add([]byte(`{"tag":123456789012345678901234567890,"n":-1e-7}`))
	rc := newRowCodec(rowDef)
	f.Fuzz(func(t *testing.T, data []byte) {
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		var raw map[string]any
		if d.Decode(&raw) != nil || raw == nil {
			return
		}
		rec, err := model.Normalize(&model.Definition{}, raw)
		if err != nil {
			return
		}
		row, _, err := rc.encode(rec)
		if err != nil {
			t.Fatalf("encode %v: %v", rec, err)
		}
		if got := rc.decode(row); !reflect.DeepEqual(got, rec) {
			t.Fatalf("decode(encode(%v)) = %v", rec, got)
		}
		js, err := rc.appendJSON(nil, row)
		if err != nil {
			t.Fatalf("appendJSON(%v): %v", rec, err)
		}
		delete(rec, "secret")
		want, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		var got, wantV any
		if err := json.Unmarshal(js, &got); err != nil {
			t.Fatalf("appendJSON(%v) = %s: not JSON: %v", rec, js, err)
		}
		json.Unmarshal(want, &wantV)
		if !reflect.DeepEqual(got, wantV) {
			t.Fatalf("appendJSON(%v) = %s; want the same value as %s", rec, js, want)
		}
	})
}

// FuzzRowString checks that a string member is written exactly as the
// CRUD encoder writes it (jsonw.AppendString), whether the row keeps it
// as plain text or as a string to escape.
func FuzzRowString(f *testing.F) {
	for _, s := range []string{"", "plain text", "quote\"", "back\\slash", "\x7f\x1f", "é", "\xff", "\u2028"} {
		f.Add(s)
	}
	rc := newRowCodec(rowDef)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := rc.appendJSON(nil, mustEncode(t, rc, connector.Record{"title": s}))
		if err != nil {
			t.Fatal(err)
		}
		want := append(jsonw.AppendString([]byte(`{"title":`), s), '}')
		if !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s; want %s", s, got, want)
		}
	})
}
