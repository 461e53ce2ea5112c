package connector

import (
	"encoding/json"
	"fmt"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

// NotFoundError returns LoopBack's entity-not-found error for the instance
// of def with id: a fault.NotFound with code ENTITY_NOT_FOUND, name "Error"
// and the message "Entity not found: Todo with id 99" (string ids are
// quoted: `with id "a1"`).
func NotFoundError(def *model.Definition, id any) error {
	return &fault.Error{
		Kind:    fault.NotFound,
		Code:    "ENTITY_NOT_FOUND",
		Name:    "Error",
		Message: fmt.Sprintf("Entity not found: %s with id %s", def.Name, formatID(id)),
	}
}

// DuplicateError returns the conflict error for a duplicate value of
// property prop of def: a fault.Conflict with the message
// "Duplicate entry for Todo.id".
func DuplicateError(def *model.Definition, prop string) error {
	return &fault.Error{
		Kind:    fault.Conflict,
		Message: fmt.Sprintf("Duplicate entry for %s.%s", def.Name, prop),
	}
}

func formatID(id any) string {
	b, err := json.Marshal(id)
	if err != nil {
		return fmt.Sprint(id)
	}
	return string(b)
}
