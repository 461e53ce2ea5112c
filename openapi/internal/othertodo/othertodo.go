// Package othertodo holds a type whose name collides with one in the
// openapi tests, to test component name collisions.
package othertodo

// Todo collides by name with openapi's test Todo.
type Todo struct {
	Note string `json:"note"`
}
