// Package sqlbase is the HTTP half of the benchmark's bare SQL baselines
// (bench/pgbaseline and bench/mysqlbaseline): plain net/http handlers for
// GET /todos, GET /todos/{id}, POST /todos and DELETE /todos/{id} that write
// the same JSON as the todo example, over a [Store] that each baseline
// implements with its driver and hand-written SQL. No framework, no
// reflection beyond encoding/json.
package sqlbase

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
)

// Todo has the properties of the todo example's Todo model, written in the
// same order and omitted when absent, as LoopBack writes them.
type Todo struct {
	ID              int64           `json:"id"`
	Title           string          `json:"title"`
	Desc            *string         `json:"desc,omitempty"`
	IsComplete      *bool           `json:"isComplete,omitempty"`
	RemindAtAddress *string         `json:"remindAtAddress,omitempty"`
	RemindAtGeo     *string         `json:"remindAtGeo,omitempty"`
	Tag             json.RawMessage `json:"tag,omitempty"`
}

// NewTodo is the request body of POST /todos: a todo without its id.
type NewTodo struct {
	Title           *string         `json:"title"`
	Desc            *string         `json:"desc,omitempty"`
	IsComplete      *bool           `json:"isComplete,omitempty"`
	RemindAtAddress *string         `json:"remindAtAddress,omitempty"`
	RemindAtGeo     *string         `json:"remindAtGeo,omitempty"`
	Tag             json.RawMessage `json:"tag,omitempty"`
}

// ErrNotFound is returned by a Store when no todo has the id.
var ErrNotFound = errors.New("todo not found")

// Store is what a baseline implements with its driver.
type Store interface {
	List(ctx context.Context) ([]Todo, error)
	Get(ctx context.Context, id int64) (Todo, error)
	Create(ctx context.Context, t NewTodo) (int64, error)
	Delete(ctx context.Context, id int64) error
}

// Seed are the four todos of LoopBack's example, created when the table is
// empty (as the todo example does).
var Seed = [][2]string{
	{"Take over the galaxy", "MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA"},
	{"destroy alderaan", "Make sure there are no survivors left!"},
	{"play space invaders", "Become the very best!"},
	{"crush rebel scum", "Every.Last.One."},
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "InternalServerError", "Internal Server Error")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func writeError(w http.ResponseWriter, status int, name, message string) {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"statusCode": status, "name": name, "message": message}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// internal answers 500 without the driver's text, which is logged.
func internal(w http.ResponseWriter, err error) {
	log.Print(err)
	writeError(w, http.StatusInternalServerError, "InternalServerError", "Internal Server Error")
}

// Handler serves the endpoints over s.
func Handler(s Store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /todos", func(w http.ResponseWriter, r *http.Request) {
		todos, err := s.List(r.Context())
		if err != nil {
			internal(w, err)
			return
		}
		writeJSON(w, http.StatusOK, todos)
	})
	mux.HandleFunc("GET /todos/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "BadRequestError", "Invalid data for parameter \"id\".")
			return
		}
		t, err := s.Get(r.Context(), id)
		switch {
		case errors.Is(err, ErrNotFound):
			writeError(w, http.StatusNotFound, "Error", fmt.Sprintf("Entity not found: Todo with id %d", id))
		case err != nil:
			internal(w, err)
		default:
			writeJSON(w, http.StatusOK, t)
		}
	})
	mux.HandleFunc("DELETE /todos/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err == nil {
			err = s.Delete(r.Context(), id)
		} else {
			err = ErrNotFound
		}
		switch {
		case errors.Is(err, ErrNotFound):
			writeError(w, http.StatusNotFound, "Error", "Entity not found: Todo with id "+strconv.Quote(r.PathValue("id")))
		case err != nil:
			internal(w, err)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("POST /todos", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			writeError(w, http.StatusBadRequest, "BadRequestError", "cannot read the request body")
			return
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		var in NewTodo
		if err := dec.Decode(&in); err != nil || in.Title == nil || *in.Title == "" {
			writeError(w, http.StatusUnprocessableEntity, "UnprocessableEntityError", "The request body is invalid.")
			return
		}
		id, err := s.Create(r.Context(), in)
		if err != nil {
			internal(w, err)
			return
		}
		writeJSON(w, http.StatusOK, Todo{ID: id, Title: *in.Title, Desc: in.Desc, IsComplete: in.IsComplete,
			RemindAtAddress: in.RemindAtAddress, RemindAtGeo: in.RemindAtGeo, Tag: in.Tag})
	})
	return mux
}

// Serve listens on HOST:PORT (default 127.0.0.1:3000) and serves s until
// the process ends.
func Serve(name string, s Store) {
	host, port := os.Getenv("HOST"), os.Getenv("PORT")
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "3000"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s listening at http://%s\n", name, ln.Addr())
	if err := http.Serve(ln, Handler(s)); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
