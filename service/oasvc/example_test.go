package oasvc_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/loopback-go/lb/service/oasvc"
)

func Example() {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"id":%s,"name":"Rex"}`, strings.TrimPrefix(r.URL.Path, "/pets/"))
	}))
	defer up.Close()
	spec := `{"openapi":"3.1.0","info":{"title":"pets","version":"1"},
	  "paths":{"/pets/{id}":{"get":{"operationId":"getPet",
	    "parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"integer","minimum":1}}],
	    "responses":{"200":{"description":"a pet"}}}}}}`
	pets, err := oasvc.New(oasvc.Config{Name: "pets", Spec: []byte(spec), BaseURL: up.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	type In struct {
		ID int `json:"id"`
	}
	type Pet struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	getPet := oasvc.MustBind[In, Pet](pets, "getPet")
	fmt.Println(getPet(context.Background(), In{ID: 7}))
	_, err = getPet(context.Background(), In{ID: 0}) // fails the document's minimum: nothing is sent
	fmt.Println(err)
	// Output:
	// {7 Rex} <nil>
	// service pets, operation getPet: the arguments do not match the service's API document
}
