package events_test

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// FuzzStreamOptions feeds untrusted where parameters and Last-Event-ID
// headers to the change-stream request parser: every input is accepted
// or refused with a 400, never a panic or another error, and an accepted
// where can be matched against instances.
func FuzzStreamOptions(f *testing.F) {
	for _, s := range [][2]string{
		{`{"done":true}`, ""},
		{`{"title":{"like":"a%"}}`, "12"},
		{`{"or":[{"title":"a"},{"id":{"gt":2}}]}`, " 7 "},
		{`{"nope":1}`, "x"},
		{`{"id":{"inq":[1,"2",null]}}`, "-1"},
		{`[]`, "18446744073709551616"},
	} {
		f.Add(s[0], s[1])
	}
	def := mustMemory(f).Definition()
	cfg := events.StreamConfig{Bus: events.NewBus(events.Config{}), Model: def}
	f.Fuzz(func(t *testing.T, where, lastID string) {
		req := &rest.Request{Params: map[string]any{}, HTTP: httptest.NewRequest("GET", "/notes/changes", nil)}
		var v any
		if json.Unmarshal([]byte(where), &v) == nil {
			req.Params["where"] = v
		} else {
			req.Params["where"] = where
		}
		req.HTTP.Header.Set("Last-Event-ID", lastID)
		o, err := cfg.Options(req)
		if err != nil {
			if !errors.Is(err, fault.BadRequest) {
				t.Fatalf("where %q last %q: %v is not a 400", where, lastID, err)
			}
			return
		}
		sub := cfg.Bus.Subscribe(t.Context(), o)
		defer sub.Close()
		if sub.Err() != nil {
			t.Fatalf("accepted where %q does not compile: %v", where, sub.Err())
		}
		cfg.Bus.Publish(events.Event{Model: "Note", Instance: map[string]any{"id": int64(1), "title": "a", "done": true}})
	})
}

func mustMemory(f *testing.F) *repository.CRUD[Note, int64] {
	conn, err := memory.New(memory.Config{})
	if err != nil {
		f.Fatal(err)
	}
	return repository.MustNew[Note, int64](conn)
}
