package gen_test

import (
	"fmt"
	"os"

	"github.com/loopback-go/lb/internal/gen"
)

// Example generates an application, a model, a SQLite data source and the
// model's CRUD REST API into a directory, as lb new, lb model, lb
// datasource and lb rest-crud do.
func Example() {
	dir, err := os.MkdirTemp("", "lb-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	files, err := gen.NewApp(gen.AppOptions{Name: "todo-app"})
	if err != nil {
		panic(err)
	}
	w := &gen.Writer{Dir: dir, Log: os.Stdout}
	title, _ := gen.ParseProperty("title:string:required")
	for _, step := range []func() error{
		func() error { return w.Create(files[:3]...) },
		func() error { return w.AddModel(gen.ModelOptions{Name: "Todo", Properties: []gen.Property{title}}) },
		func() error { return w.AddDatasource(gen.DatasourceOptions{Name: "db", Connector: "sqlite"}) },
		func() error { return w.AddRestCrud("Todo", "db", gen.ControllerOptions{}) },
		func() error { return w.AddModel(gen.ModelOptions{Name: "todo"}) },
	} {
		if err := step(); err != nil {
			fmt.Println("error:", err)
		}
	}
	// Output:
	// create go.mod
	// create main.go
	// create app.go
	// create todo.go
	// create db_datasource.go
	// update app.go
	// create todo_repository.go
	// update app.go
	// create todo_controller.go
	// update app.go
	// create todo_controller_test.go
	// error: model Todo already exists (todo.go); use --force to overwrite
}
