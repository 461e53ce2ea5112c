package connector_test

import (
	"errors"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

func TestErrors(t *testing.T) {
	def := &model.Definition{Name: "Todo"}
	tests := []struct {
		name string
		err  error
		kind fault.Kind
		code string
		msg  string
	}{
		{"not found int", connector.NotFoundError(def, int64(99)), fault.NotFound, "ENTITY_NOT_FOUND", "Entity not found: Todo with id 99"},
		{"not found string", connector.NotFoundError(def, "a1"), fault.NotFound, "ENTITY_NOT_FOUND", `Entity not found: Todo with id "a1"`},
		{"duplicate", connector.DuplicateError(def, "id"), fault.Conflict, "", "Duplicate entry for Todo.id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fe *fault.Error
			if !errors.As(tt.err, &fe) {
				t.Fatalf("got %T; want *fault.Error", tt.err)
			}
			if fe.Kind != tt.kind || fe.Code != tt.code || fe.Message != tt.msg {
				t.Errorf("got (%v, %q, %q); want (%v, %q, %q)", fe.Kind, fe.Code, fe.Message, tt.kind, tt.code, tt.msg)
			}
		})
	}
}

func TestIsolationString(t *testing.T) {
	tests := map[connector.Isolation]string{
		connector.IsolationDefault: "DEFAULT",
		connector.ReadUncommitted:  "READ UNCOMMITTED",
		connector.ReadCommitted:    "READ COMMITTED",
		connector.RepeatableRead:   "REPEATABLE READ",
		connector.Serializable:     "SERIALIZABLE",
	}
	for level, want := range tests {
		if got := level.String(); got != want {
			t.Errorf("Isolation(%d).String() = %q; want %q", level, got, want)
		}
	}
}
