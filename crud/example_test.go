package crud_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// Note is a model with a generated id.
type Note struct {
	ID   int64  `json:"id" lb:"id,generated"`
	Text string `json:"text" required:"true"`
}

func ExampleMount() {
	conn, err := memory.New(memory.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	repo, err := repository.New[Note, int64](conn)
	if err != nil {
		log.Fatal(err)
	}
	srv := rest.New(rest.Config{})
	if err := crud.Mount(srv, repo, crud.Options{}); err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	for _, r := range []struct{ method, path, body string }{
		{"POST", "/notes", `{"text":"buy milk"}`},
		{"POST", "/notes", `{"text":"call mum"}`},
		{"GET", `/notes?filter[where][text][like]=buy%25`, ""},
		{"PATCH", "/notes/2", `{"text":"call dad"}`},
		{"GET", "/notes/count", ""},
		{"GET", "/notes/99", ""},
	} {
		req, _ := http.NewRequest(r.method, ts.URL+r.path, strings.NewReader(r.body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(strings.TrimSpace(fmt.Sprint(r.method, " ", r.path, " ", resp.StatusCode, " ", string(body))))
	}
	// Output:
	// POST /notes 200 {"id":1,"text":"buy milk"}
	// POST /notes 200 {"id":2,"text":"call mum"}
	// GET /notes?filter[where][text][like]=buy%25 200 [{"id":1,"text":"buy milk"}]
	// PATCH /notes/2 204
	// GET /notes/count 200 {"count":2}
	// GET /notes/99 404 {"error":{"statusCode":404,"name":"Error","message":"Entity not found: Note with id 99","code":"ENTITY_NOT_FOUND"}}
}

func ExampleBasePath() {
	fmt.Println(crud.BasePath("Todo"), crud.BasePath("TodoList"), crud.BasePath("Category"))
	// Output: /todos /todo-lists /categories
}

// A zero-code model: a LoopBack JSON definition, its record-level
// repository, and the same API.
func ExampleMountModel() {
	def, err := model.Parse([]byte(`{"name": "Product", "properties": {
		"id": {"type": "number", "id": true, "generated": true},
		"name": {"type": "string", "required": true}}}`))
	if err != nil {
		log.Fatal(err)
	}
	conn, err := memory.New(memory.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	products, err := repository.NewModel(conn, def)
	if err != nil {
		log.Fatal(err)
	}
	srv := rest.New(rest.Config{})
	if err := crud.MountModel(srv, products, crud.Options{ReadOnly: true}); err != nil {
		log.Fatal(err)
	}
	for _, r := range srv.Routes() {
		fmt.Println(r.Method, r.Path, r.OperationID)
	}
	// Output:
	// GET /products/count ProductController.count
	// GET /products ProductController.find
	// GET /products/{id} ProductController.findById
}
