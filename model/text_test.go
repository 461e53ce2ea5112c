package model_test

import (
	"testing"

	"github.com/loopback-go/lb/model"
)

func TestTextProblem(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{"plain é 日本", ""},
		{"a\x00b", "must not contain a NUL character"},
		{"caf\xe9", "must be valid UTF-8 text"},
		{[]any{"ok", map[string]any{"k": "\xff"}}, "must be valid UTF-8 text"},
		{map[string]any{"k\x00": "v"}, "must not contain a NUL character"},
		{map[string]any{"k": []any{int64(1), "x\x00"}}, "must not contain a NUL character"},
		{int64(0), ""},
		{[]byte{0, 0xff}, ""}, // buffers are bytes, not text
		{nil, ""},
	}
	for _, tt := range tests {
		if got := model.TextProblem(tt.v); got != tt.want {
			t.Errorf("TextProblem(%#v) = %q; want %q", tt.v, got, tt.want)
		}
	}
}
