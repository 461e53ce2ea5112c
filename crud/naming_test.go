package crud

import "testing"

func TestBasePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Todo", "/todos"},
		{"TodoList", "/todo-lists"},
		{"TodoListImage", "/todo-list-images"},
		{"Category", "/categories"},
		{"Day", "/days"},
		{"Address", "/addresses"},
		{"Box", "/boxes"},
		{"Match", "/matches"},
		{"Person", "/people"},
		{"SalesPerson", "/sales-people"},
		{"HTTPServer", "/http-servers"},
		{"todo_item", "/todo-items"},
		{"Customer2Order", "/customer2-orders"},
		{"Data", "/data"},
		{"User", "/users"},
	}
	for _, tt := range tests {
		if got := BasePath(tt.in); got != tt.want {
			t.Errorf("BasePath(%q): got %q; want %q", tt.in, got, tt.want)
		}
	}
}
