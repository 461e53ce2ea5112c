package main

import (
	"context"
	"fmt"

	"github.com/loopback-go/lb/repository"
)

// TodoList is a list of todos (LoopBack's todo-list example): it has many
// Todo and one TodoListImage.
type TodoList struct {
	ID    int64          `json:"id" lb:"id,generated"`
	Title string         `json:"title" required:"true"`
	Color string         `json:"color,omitempty"`
	Todos []Todo         `json:"todos,omitempty" lb:"hasMany"`
	Image *TodoListImage `json:"image,omitempty" lb:"hasOne"`
}

// Todo is a thing to do, in a list (belongsTo TodoList through todoListId).
type Todo struct {
	ID         int64     `json:"id" lb:"id,generated"`
	Title      string    `json:"title" required:"true"`
	Desc       string    `json:"desc,omitempty"`
	IsComplete *bool     `json:"isComplete,omitempty"`
	TodoListID int64     `json:"todoListId,omitempty" lb:"belongsTo,target=TodoList,onDelete=cascade"`
	TodoList   *TodoList `json:"todoList,omitempty" lb:"belongsTo"`
}

// TodoListImage is the picture of a list (a TodoList has one).
type TodoListImage struct {
	ID         int64     `json:"id" lb:"id,generated"`
	Value      string    `json:"value" required:"true"`
	TodoListID int64     `json:"todoListId,omitempty" lb:"belongsTo,target=TodoList,onDelete=cascade"`
	TodoList   *TodoList `json:"todoList,omitempty" lb:"belongsTo"`
}

// repos are the example's repositories, joined in one registry so that
// relations and inclusion resolve.
type repos struct {
	lists  *repository.CRUD[TodoList, int64]
	todos  *repository.CRUD[Todo, int64]
	images *repository.CRUD[TodoListImage, int64]
	reg    repository.Registry
}

// seedLists and seedTodos are what a new store starts with: LoopBack's
// todo-list example data (todos 1, 2 and 4 in list 1, todo 3 in list 2).
var (
	seedLists = []TodoList{
		{Title: "Sith lord's check list", Color: "blue"},
		{Title: "My daily chores", Color: "red"},
	}
	seedTodos = []Todo{
		{Title: "Take over the galaxy", Desc: "MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA", TodoListID: 1},
		{Title: "destroy alderaan", Desc: "Make sure there are no survivors left!", TodoListID: 1},
		{Title: "play space invaders", Desc: "Become the very best!", TodoListID: 2},
		{Title: "crush rebel scum", Desc: "Every.Last.One.", TodoListID: 1},
	}
)

// seed creates the lists and todos of LoopBack's example, in order, so
// that they get the ids LoopBack's db.json gives them.
func seed(ctx context.Context, r *repos) error {
	for _, l := range seedLists {
		if _, err := r.lists.Create(ctx, &l); err != nil {
			return fmt.Errorf("seed todo list %q: %w", l.Title, err)
		}
	}
	for _, t := range seedTodos {
		if _, err := r.todos.Create(ctx, &t); err != nil {
			return fmt.Errorf("seed todo %q: %w", t.Title, err)
		}
	}
	return nil
}
