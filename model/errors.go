package model

import "strings"

// DefinitionError reports a bad model definition. Its message names where
// the definition came from (a file, or the Go type), the model and the
// property or relation at fault:
//
//	models/todo.json: model Todo: property "title": unknown type "strng"
type DefinitionError struct {
	// Source is the file name the caller passed, or the Go type name.
	Source string
	// Model is the model name, when known.
	Model string
	// Property is the property (dotted for nested ones) or relation at
	// fault, when there is one.
	Property string
	// Relation is set instead of Property for a bad relation.
	Relation string
	// Err is the underlying problem.
	Err error
}

// Error formats the location and the problem.
func (e *DefinitionError) Error() string {
	var b strings.Builder
	if e.Source != "" {
		b.WriteString(e.Source)
		b.WriteString(": ")
	}
	if e.Model != "" {
		b.WriteString("model ")
		b.WriteString(e.Model)
		b.WriteString(": ")
	}
	if e.Property != "" {
		b.WriteString("property \"")
		b.WriteString(e.Property)
		b.WriteString("\": ")
	}
	if e.Relation != "" {
		b.WriteString("relation \"")
		b.WriteString(e.Relation)
		b.WriteString("\": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying problem.
func (e *DefinitionError) Unwrap() error { return e.Err }
