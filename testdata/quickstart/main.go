package main

import (
	"context"
	"log"
	"net/http"

	"github.com/loopback-go/lb"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/explorer"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

type Todo struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Title string `json:"title" lb:"required"`
	Done  bool   `json:"done" lb:"default=false"`
}

func main() {
	db, err := sqlite.Open("sqlite:todo.db")
	check(err)
	todos := repository.MustNew[Todo, int64](db)
	check(db.Autoupdate(context.Background(), []*model.Definition{todos.Definition()}))
	srv := rest.New(rest.Config{Port: 3000})
	check(crud.Mount(srv, todos, crud.Options{})) // LoopBack's 8 endpoints at /todos
	done := repository.MustFieldOf(todos, func(t *Todo) *bool { return &t.Done })
	rest.Get(srv, "/todos/open", func(ctx context.Context, _ *struct{}) (*[]Todo, error) {
		open, err := todos.Find(ctx, filter.New().Where(done.Eq(false)).Filter())
		return &open, err
	})
	srv.Mount("/explorer", http.StripPrefix("/explorer", explorer.New(explorer.Config{Spec: srv.SpecJSON})))
	app := lb.New(lb.Config{Name: "todo"})
	app.AddServer("rest", srv)
	check(app.Run(context.Background()))
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
