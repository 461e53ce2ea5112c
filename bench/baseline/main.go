// Command baseline is the benchmark's yardstick: a bare net/http server with
// no framework, serving the three endpoints the benchmark measures with the
// same JSON as the todo example, from a map guarded by a mutex.
//
//	GET  /todos       every todo, in id order
//	GET  /todos/{id}  one todo, or 404
//	POST /todos       create a todo from {"title": ..., ...}; 200 with the instance
//
// It listens on HOST:PORT (default 127.0.0.1:3000) and starts with the four
// todos of LoopBack's todo example.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
)

// todo has the properties of the todo example's Todo model, written in the
// same order and omitted when absent, as LoopBack writes them.
type todo struct {
	ID              int64  `json:"id"`
	Title           string `json:"title"`
	Desc            string `json:"desc,omitempty"`
	IsComplete      *bool  `json:"isComplete,omitempty"`
	RemindAtAddress string `json:"remindAtAddress,omitempty"`
	RemindAtGeo     string `json:"remindAtGeo,omitempty"`
	Tag             any    `json:"tag,omitempty"`
}

// newTodo is the request body of POST /todos: a todo without its id.
type newTodo struct {
	Title           *string `json:"title"`
	Desc            string  `json:"desc,omitempty"`
	IsComplete      *bool   `json:"isComplete,omitempty"`
	RemindAtAddress string  `json:"remindAtAddress,omitempty"`
	RemindAtGeo     string  `json:"remindAtGeo,omitempty"`
	Tag             any     `json:"tag,omitempty"`
}

// store holds the todos.
type store struct {
	mu     sync.Mutex
	nextID int64
	todos  map[int64]todo
}

func newStore() *store {
	s := &store{nextID: 1, todos: map[int64]todo{}}
	for _, t := range [][2]string{
		{"Take over the galaxy", "MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA"},
		{"destroy alderaan", "Make sure there are no survivors left!"},
		{"play space invaders", "Become the very best!"},
		{"crush rebel scum", "Every.Last.One."},
	} {
		s.create(todo{Title: t[0], Desc: t[1]})
	}
	return s
}

func (s *store) create(t todo) todo {
	s.mu.Lock()
	defer s.mu.Unlock()
	t.ID = s.nextID
	s.nextID++
	s.todos[t.ID] = t
	return t
}

func (s *store) get(id int64) (todo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.todos[id]
	return t, ok
}

func (s *store) list() []todo {
	s.mu.Lock()
	out := make([]todo, 0, len(s.todos))
	for _, t := range s.todos {
		out = append(out, t)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b todo) int { return int(a.ID - b.ID) })
	return out
}

func (s *store) delete(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.todos[id]
	delete(s.todos, id)
	return ok
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func writeError(w http.ResponseWriter, status int, name, message string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"statusCode": status, "name": name, "message": message}})
}

func (s *store) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /todos", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.list())
	})
	mux.HandleFunc("GET /todos/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "BadRequestError", fmt.Sprintf("Invalid data %q for parameter \"id\".", r.PathValue("id")))
			return
		}
		t, ok := s.get(id)
		if !ok {
			writeError(w, http.StatusNotFound, "Error", fmt.Sprintf("Entity not found: Todo with id %d", id))
			return
		}
		writeJSON(w, http.StatusOK, t)
	})
	mux.HandleFunc("DELETE /todos/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || !s.delete(id) {
			writeError(w, http.StatusNotFound, "Error", fmt.Sprintf("Entity not found: Todo with id %s", r.PathValue("id")))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /todos", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			writeError(w, http.StatusBadRequest, "BadRequestError", err.Error())
			return
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		var in newTodo
		if err := dec.Decode(&in); err != nil {
			writeError(w, http.StatusUnprocessableEntity, "UnprocessableEntityError", err.Error())
			return
		}
		if in.Title == nil || *in.Title == "" {
			writeError(w, http.StatusUnprocessableEntity, "UnprocessableEntityError", "title is required")
			return
		}
		t := s.create(todo{Title: *in.Title, Desc: in.Desc, IsComplete: in.IsComplete,
			RemindAtAddress: in.RemindAtAddress, RemindAtGeo: in.RemindAtGeo, Tag: in.Tag})
		writeJSON(w, http.StatusOK, t)
	})
	return mux
}

func main() {
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
	fmt.Printf("baseline listening at http://%s\n", ln.Addr())
	if err := http.Serve(ln, newStore().handler()); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
