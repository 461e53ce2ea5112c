package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

// do sends a request to h and prints the status and body.
func do(h http.Handler, method, target, body string) {
	var r *http.Request
	if body != "" {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	} else {
		r = httptest.NewRequest(method, target, nil)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Body.String())
}

type Greeting struct {
	Message string `json:"message"`
}

type greetIn struct {
	Name  string `path:"name" maxLength:"10"`
	Shout bool   `query:"shout"`
}

func Example_typedOperation() {
	s := rest.New(rest.Config{})
	rest.Get(s, "/hello/{name}", func(_ context.Context, in *greetIn) (*Greeting, error) {
		msg := "hello " + in.Name
		if in.Shout {
			msg = strings.ToUpper(msg)
		}
		return &Greeting{Message: msg}, nil
	})
	do(s, "GET", "/hello/ann?shout=true", "")
	do(s, "GET", "/hello/ann?shout=maybe", "")
	// Output:
	// 200 {"message":"HELLO ANN"}
	// 400 {"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"maybe\" for parameter \"shout\".","code":"INVALID_PARAMETER_VALUE"}}
}

type NoteController struct {
	notes map[int64]string
}

type noteID struct {
	ID int64 `path:"id"`
}

func (c *NoteController) Routes(r *rest.ControllerRoutes) {
	rest.Get(r, "/notes/{id}", c.FindByID, rest.OperationID("findById"))
}

func (c *NoteController) FindByID(_ context.Context, in *noteID) (*string, error) {
	n, ok := c.notes[in.ID]
	if !ok {
		return nil, fault.New(fault.NotFound, "ENTITY_NOT_FOUND", fmt.Sprintf("Entity not found: Note with id %d", in.ID))
	}
	return &n, nil
}

func ExampleServer_Controller() {
	s := rest.New(rest.Config{})
	s.Controller(&NoteController{notes: map[int64]string{1: "remember the milk"}})
	do(s, "GET", "/notes/1", "")
	do(s, "GET", "/notes/2", "")
	fmt.Println(s.Document().Paths["/notes/{id}"].Get.OperationID)
	// Output:
	// 200 remember the milk
	// 404 {"error":{"statusCode":404,"name":"NotFoundError","message":"Entity not found: Note with id 2","code":"ENTITY_NOT_FOUND"}}
	// NoteController.findById
}

func ExampleServer_Route() {
	s := rest.New(rest.Config{})
	s.AddSchema("NewNote", &openapi.Schema{
		Type:                 openapi.Types{"object"},
		Properties:           map[string]*openapi.Schema{"text": {Type: openapi.Types{"string"}, MinLength: new(int)}},
		Required:             []string{"text"},
		AdditionalProperties: openapi.BoolSchema(false),
	})
	s.Route("POST", "/notes", &openapi.Operation{
		OperationID: "createNote",
		RequestBody: &openapi.RequestBody{Required: true, Content: map[string]*openapi.MediaType{
			"application/json": {Schema: &openapi.Schema{Ref: "#/components/schemas/NewNote"}}}},
	}, func(_ context.Context, req *rest.Request) (any, error) {
		note := req.Body.(map[string]any)
		note["id"] = 1
		return &rest.Response{Status: http.StatusCreated, Body: note}, nil
	})
	do(s, "POST", "/notes", `{"text":"hi"}`)
	do(s, "POST", "/notes", `{"id":3}`)
	// Output:
	// 201 {"id":1,"text":"hi"}
	// 422 {"error":{"statusCode":422,"name":"UnprocessableEntityError","message":"The request body is invalid. See error object `details` property for more info.","code":"VALIDATION_FAILED","details":[{"path":"","code":"required","message":"must have required property 'text'","info":{"missingProperty":"text"}},{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"id"}}]}}
}

func ExampleServer_API() {
	doc, err := openapi.Load([]byte(`
openapi: 3.1.0
info: {title: pets, version: 1.0.0}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
      responses: {'200': {description: a pet}}
    delete:
      operationId: deletePet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses: {'204': {description: deleted}}
`))
	if err != nil {
		panic(err)
	}
	s := rest.New(rest.Config{})
	err = s.API(doc, map[string]rest.HandlerFunc{
		"getPet": func(_ context.Context, req *rest.Request) (any, error) {
			return map[string]any{"id": req.Params["id"], "name": "Rex"}, nil
		},
	})
	if err != nil {
		panic(err)
	}
	do(s, "GET", "/pets/7", "")
	do(s, "GET", "/pets/0", "")
	do(s, "DELETE", "/pets/7", "")
	// Output:
	// 200 {"id":7,"name":"Rex"}
	// 400 {"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"0\" for parameter \"id\".","code":"INVALID_PARAMETER_VALUE","details":[{"path":"","code":"minimum","message":"must be >= 1","info":{"comparison":">=","limit":1}}]}}
	// 501 {"error":{"statusCode":501,"name":"NotImplementedError","message":"Operation \"deletePet\" is not implemented.","code":"NOT_IMPLEMENTED"}}
}

func ExampleServer_Use() {
	s := rest.New(rest.Config{Logger: discard()})
	s.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "42")
			next.ServeHTTP(w, r)
		})
	})
	s.UseIn(rest.GroupAuthentication, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if route, _ := rest.RouteOf(r); route.OperationID == "secret" && r.Header.Get("Authorization") == "" {
				s.WriteError(w, r, fault.New(fault.Unauthorized, "", "Authorization header not found."))
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	rest.Get(s, "/secret", func(context.Context, *struct{}) (*string, error) {
		out := "s3cret"
		return &out, nil
	}, rest.OperationID("secret"))
	do(s, "GET", "/secret", "")
	// Output:
	// 401 {"error":{"statusCode":401,"name":"UnauthorizedError","message":"Authorization header not found."}}
}
