package main

import (
	"context"
	"fmt"

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
var seedTodos = []Todo{
	{Title: "Take over the galaxy", Desc: "MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA"},
	{Title: "destroy alderaan", Desc: "Make sure there are no survivors left!"},
	{Title: "play space invaders", Desc: "Become the very best!"},
	{Title: "crush rebel scum", Desc: "Every.Last.One."},
}

// seed creates the four todos of LoopBack's example.
func seed(ctx context.Context, todos *repository.CRUD[Todo, int64]) error {
	for _, t := range seedTodos {
		if _, err := todos.Create(ctx, &t); err != nil {
			return fmt.Errorf("seed todo %q: %w", t.Title, err)
		}
	}
	return nil
}
