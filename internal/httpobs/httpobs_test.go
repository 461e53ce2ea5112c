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

func TestSetHexRequestID(t *testing.T) {
	var w Writer
	w.SetHexRequestID(0x0123456789abcdef, 42)
	first := w.RequestID
	if want := "0123456789abcdef000000000000002a"; first != want {
		t.Fatalf("RequestID: got %q; want %q", first, want)
	}
	w.SetHexRequestID(1, 2)
	if want := "00000000000000010000000000000002"; w.RequestID != want {
		t.Errorf("second RequestID: got %q; want %q", w.RequestID, want)
	}
	if first != "0123456789abcdef000000000000002a" {
		t.Errorf("the first id changed to %q after a second one was set", first)
	}
	var w2 Writer
	if n := testing.AllocsPerRun(100, func() { w2 = Writer{}; w2.SetHexRequestID(7, 9) }); n != 0 {
		t.Errorf("allocations of SetHexRequestID: got %v; want 0", n)
	}
}
