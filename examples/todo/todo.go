package main

import (
	"context"
	"fmt"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// Todo is the model of LoopBack's todo example: a thing to do, with a
// generated numeric id.
type Todo struct {
	ID              int64  `json:"id" lb:"id,generated"`
	Title           string `json:"title" required:"true"`
	Desc            string `json:"desc,omitempty"`
	IsComplete      *bool  `json:"isComplete,omitempty"`
	RemindAtAddress string `json:"remindAtAddress,omitempty"`
	RemindAtGeo     string `json:"remindAtGeo,omitempty"`
	Tag             any    `json:"tag,omitempty"`
}

// seedTodos are the todos a new store starts with: those of LoopBack's
// example, which then gives the next todo the id 5.
var seedTodos = []connector.Record{
	{"title": "Take over the galaxy", "desc": "MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA"},
	{"title": "destroy alderaan", "desc": "Make sure there are no survivors left!"},
	{"title": "play space invaders", "desc": "Become the very best!"},
	{"title": "crush rebel scum", "desc": "Every.Last.One."},
}

// newTodoRepository returns the repository of todos on conn.
func newTodoRepository(conn connector.Connector) (*repository.Model, error) {
	def, err := model.FromStruct[Todo]()
	if err != nil {
		return nil, err
	}
	return repository.NewModel(conn, def)
}

// seed creates the four todos of LoopBack's example.
func seed(ctx context.Context, repo *repository.Model) error {
	for _, t := range seedTodos {
		if _, err := repo.Create(ctx, t); err != nil {
			return fmt.Errorf("seed todo %q: %w", t["title"], err)
		}
	}
	return nil
}
