package model

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestRecordRoundTrip(t *testing.T) {
	d := MustFromStruct[todo]()
	done := true
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	in := todo{
		ID: 0, Title: "write", IsComplete: &done, Priority: 2, CreatedAt: created,
		Tags: []string{"a", "b"}, Address: &address{City: "Paris"},
		Meta: map[string]any{"n": 1, "f": 1.5}, Tag: []int{1, 2}, Data: []byte{1, 2, 3}, TodoListID: 7,
	}
	rec, err := ToRecord(d, &in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"title": "write", "isComplete": true, "priority": int64(2), "createdAt": created,
		"tags": []any{"a", "b"}, "address": map[string]any{"city": "Paris"},
		"meta": map[string]any{"n": int64(1), "f": 1.5}, "tag": []any{int64(1), int64(2)},
		"data": []byte{1, 2, 3}, "todoListId": int64(7),
	}
	if !reflect.DeepEqual(rec, want) {
		t.Errorf("ToRecord = %#v\nwant %#v", rec, want)
	}

	rec["id"] = int64(9)
	out, err := FromRecord[todo](d, rec)
	if err != nil {
		t.Fatal(err)
	}
	in.ID = 9
	in.Meta = map[string]any{"n": int64(1), "f": 1.5}
	in.Tag = []any{int64(1), int64(2)}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("FromRecord = %+v\nwant %+v", out, in)
	}
}

func TestFromRecordLenient(t *testing.T) {
	d := MustFromStruct[todo]()
	rec := map[string]any{
		"id": 3.0, "title": "x", "isComplete": int64(1), "priority": float64(4),
		"createdAt": "2026-01-02T03:04:05Z", "data": "AQID", "unknown": 1,
		"todoList": map[string]any{"id": int64(7), "title": "list", "todos": []any{map[string]any{"title": "nested"}}},
	}
	out, err := FromRecord[todo](d, rec)
	if err != nil {
		t.Fatal(err)
	}
	if out.ID != 3 || !*out.IsComplete || out.Priority != 4 || out.CreatedAt.Year() != 2026 || string(out.Data) != "\x01\x02\x03" {
		t.Errorf("got %+v", out)
	}
	if out.List == nil || out.List.Title != "list" || len(out.List.Todos) != 1 || out.List.Todos[0].Title != "nested" {
		t.Errorf("included todoList = %+v", out.List)
	}
}

func TestFromRecordErrors(t *testing.T) {
	d := MustFromStruct[todo]()
	tests := []struct {
		rec  map[string]any
		want string
	}{
		{map[string]any{"title": 1.0}, `property "title": cannot use a number as string`},
		{map[string]any{"id": 1.5}, `property "id": 1.5 is not an integer`},
		{map[string]any{"createdAt": "yesterday"}, `property "createdAt": "yesterday" is not an RFC 3339 date`},
		{map[string]any{"tags": "a"}, `property "tags": cannot use a string as array`},
		{map[string]any{"address": map[string]any{"city": true}}, `property "address": property "city": cannot use a boolean as string`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := FromRecord[todo](d, tt.rec)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v; want %q", err, tt.want)
			}
		})
	}
	if _, err := FromRecord[todoList](d, nil); err == nil {
		t.Errorf("FromRecord with another type: got no error")
	}
}

func TestNormalize(t *testing.T) {
	d, err := Parse([]byte(`{"name":"T","properties":{"id":{"type":"integer","id":true},"n":"number","at":"date","b":"buffer","tags":["number"],"o":{"type":"object","properties":{"k":"integer"}}},"settings":{"strict":false}}`))
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{"id": 1.0, "n": 2.0, "at": "2026-01-02T00:00:00Z", "b": "AQI=", "tags": []any{1.0}, "o": map[string]any{"k": 3.0, "x": 1.0}, "extra": "kept"}
	got, err := ToRecord(d, &in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"id": int64(1), "n": 2.0, "at": time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), "b": []byte{1, 2},
		"tags": []any{2.0 - 1}, "o": map[string]any{"k": int64(3), "x": 1.0}, "extra": "kept"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
	if _, err := Normalize(d, map[string]any{"id": "x"}); err == nil || !strings.Contains(err.Error(), `property "id"`) {
		t.Errorf("got %v; want an error naming id", err)
	}
}

// TestNormalizeInPlace checks that NormalizeInPlace converts the record
// it is given as Normalize converts a copy, and fails where Normalize does.
func TestNormalizeInPlace(t *testing.T) {
	d, err := Parse([]byte(`{"name":"T","properties":{"id":{"type":"integer","id":true},"n":"number","at":"date","b":"buffer","tags":["number"],"o":{"type":"object","properties":{"k":"integer"}}},"settings":{"strict":false}}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   func() map[string]any
		bad  bool
	}{
		{"all types", func() map[string]any {
			return map[string]any{"id": 1.0, "n": 2.0, "at": "2026-01-02T00:00:00Z", "b": "AQI=", "tags": []any{1.0}, "o": map[string]any{"k": 3.0, "x": 1.0}, "extra": int(4)}
		}, false},
		{"empty", func() map[string]any { return map[string]any{} }, false},
		{"nulls", func() map[string]any { return map[string]any{"n": nil, "at": nil} }, false},
		{"bad id", func() map[string]any { return map[string]any{"id": "x"} }, true},
		{"bad date", func() map[string]any { return map[string]any{"at": true} }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, wantErr := Normalize(d, tt.in())
			got := tt.in()
			err := NormalizeInPlace(d, got)
			if tt.bad {
				if err == nil || wantErr == nil || err.Error() != wantErr.Error() {
					t.Errorf("got error %v; want %v", err, wantErr)
				}
				return
			}
			if err != nil || wantErr != nil {
				t.Fatalf("got errors %v, %v; want none", err, wantErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %#v\nwant %#v", got, want)
			}
		})
	}
}

func BenchmarkToRecord(b *testing.B) {
	d := MustFromStruct[todo]()
	done := true
	v := todo{ID: 1, Title: "write", Desc: "some text", IsComplete: &done, Priority: 2, CreatedAt: time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ToRecord(d, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFromRecord(b *testing.B) {
	d := MustFromStruct[todo]()
	rec := map[string]any{"id": int64(1), "title": "write", "desc": "some text", "isComplete": true, "priority": int64(2), "createdAt": time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromRecord[todo](d, rec); err != nil {
			b.Fatal(err)
		}
	}
}

type benchTodo struct {
	ID         int64  `json:"id" lb:"id,generated"`
	Title      string `json:"title" required:"true"`
	Desc       string `json:"desc,omitempty"`
	IsComplete bool   `json:"isComplete,omitempty"`
	Tag        any    `json:"tag,omitempty"`
}

func BenchmarkToRecordSmall(b *testing.B) {
	d := MustFromStruct[benchTodo]()
	v := benchTodo{ID: 1, Title: "write", Desc: "some text", IsComplete: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ToRecord(d, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFromRecordSmall(b *testing.B) {
	d := MustFromStruct[benchTodo]()
	rec := map[string]any{"id": int64(1), "title": "write", "desc": "some text", "isComplete": true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromRecord[benchTodo](d, rec); err != nil {
			b.Fatal(err)
		}
	}
}
