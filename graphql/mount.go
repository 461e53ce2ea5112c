package graphql

import (
	"context"
	"fmt"
	"net/http"

	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

// Mount serves h at path on srv as two REST operations (GET and POST,
// GraphQLController.query and .mutate in the OpenAPI document), so that
// the options given (auth.Authenticate, auth.Protect, …) and the server's
// interceptors apply to it as to any operation: with authentication the
// GraphQL fields, and Config.Authorize, see the caller's profile
// (auth.ProfileFrom). It fails when path is taken.
func Mount(srv *rest.Server, path string, h *Handler, opts ...rest.OperationOption) error {
	if srv == nil || h == nil {
		return fmt.Errorf("graphql: Mount needs a server and a handler")
	}
	serve := func(ctx context.Context, req *rest.Request) (any, error) {
		h.ServeHTTP(req.Writer, req.HTTP.WithContext(ctx))
		return nil, nil
	}
	response := map[string]*openapi.Response{"200": {Description: "GraphQL response: {errors, data}",
		Content: map[string]*openapi.MediaType{"application/json": {Schema: &openapi.Schema{Type: openapi.Types{"object"}}}}}}
	get := &openapi.Operation{OperationID: "GraphQLController.query", Tags: []string{"GraphQLController"},
		Summary: "GraphQL queries (query, operationName, variables as parameters); the GraphiQL page for browsers; subscriptions over a WebSocket upgrade (graphql-transport-ws) or text/event-stream", Responses: response}
	post := &openapi.Operation{OperationID: "GraphQLController.mutate", Tags: []string{"GraphQLController"},
		Summary: "GraphQL queries and mutations: a JSON body {query, operationName, variables}", Responses: response}
	if err := srv.AddRoute(http.MethodGet, path, get, serve, opts...); err != nil {
		return fmt.Errorf("graphql: %w", err)
	}
	if err := srv.AddRoute(http.MethodPost, path, post, serve, opts...); err != nil {
		return fmt.Errorf("graphql: %w", err)
	}
	return nil
}
