package httpobs

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestWrapOnce(t *testing.T) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/", nil)
	rec, w2, r2 := Wrap(w, r)
	if w2 != http.ResponseWriter(rec) || From(r2.Context()) != rec {
		t.Fatalf("first Wrap: got writer %T, recorder in context %v; want the recorder in both", w2, From(r2.Context()))
	}
	// A later middleware gets the same recorder and its writer unchanged.
	inner := httptest.NewRecorder()
	again, w3, r3 := Wrap(inner, r2)
	if again != rec || w3 != http.ResponseWriter(inner) || r3 != r2 {
		t.Errorf("second Wrap: got a new recorder or changed the writer/request")
	}
	rec.Write([]byte("abc"))
	rec.WriteHeader(500) // too late: the status is 200
	if rec.Status() != 200 || rec.Written() != 3 {
		t.Errorf("got status %d, %d bytes; want 200, 3", rec.Status(), rec.Written())
	}
	if http.NewResponseController(rec).Flush() != nil || !w.Flushed {
		t.Errorf("Flush did not reach the underlying writer")
	}
}

func TestStatusClass(t *testing.T) {
	for code, want := range map[int]string{0: "2xx", 101: "1xx", 204: "2xx", 304: "3xx", 404: "4xx", 503: "5xx", 599: "5xx"} {
		if got := StatusClass(code); got != want {
			t.Errorf("StatusClass(%d): got %s; want %s", code, got, want)
		}
	}
}
