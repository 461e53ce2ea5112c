package mongodb_test

import (
	"strings"
	"testing"
)

// TestExample runs Example's code on the test server and checks what it
// prints.
func TestExample(t *testing.T) {
	var b strings.Builder
	if err := example(&b, testURL(t)); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "created 24 true\nfound 1\n"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
}
