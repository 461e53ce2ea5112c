package graphql

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzParseMessage feeds arbitrary client messages to the
// graphql-transport-ws parser: it never panics; a message it accepts has
// a type a client may send, an id of 1 to maxIDBytes bytes when its type
// needs one, and for subscribe a request with a query; encoding an
// accepted message and parsing it again gives the same type and id; a
// refused one has a close reason starting as the protocol's.
func FuzzParseMessage(f *testing.F) {
	for _, s := range []string{
		`{"type":"connection_init"}`,
		`{"type":"connection_init","payload":{"Authorization":"Bearer t"}}`,
		`{"type":"ping","payload":null}`,
		`{"type":"pong","payload":[1]}`,
		`{"id":"1","type":"subscribe","payload":{"query":"subscription { todoChanged { id } }","variables":{"w":{}}}}`,
		`{"id":"1","type":"subscribe","payload":{"query":""}}`,
		`{"id":"","type":"complete"}`,
		`{"id":"x","type":"next","payload":{}}`,
		`{"type":1}`,
		`[]`,
		`{"type":"subscribe","id":"\u0000","payload":"{}"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, req, err := parseMessage(b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "Invalid message received") {
				t.Fatalf("reason %q", err)
			}
			return
		}
		switch m.Type {
		case "connection_init", "ping", "pong":
			if req != nil {
				t.Fatal("a request for " + m.Type)
			}
		case "subscribe":
			if req == nil || req.Query == "" {
				t.Fatalf("subscribe without a query: %s", b)
			}
			fallthrough
		case "complete":
			if m.ID == "" || len(m.ID) > maxIDBytes {
				t.Fatalf("id %q accepted", m.ID)
			}
		default:
			t.Fatalf("type %q accepted", m.Type)
		}
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, _, err := parseMessage(again)
		if err != nil || m2.Type != m.Type || m2.ID != m.ID {
			t.Fatalf("%s parsed again as %+v, %v", again, m2, err)
		}
	})
}
