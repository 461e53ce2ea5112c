package graphql_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/graphql"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// TestMountWithAuthentication serves the endpoint as REST operations
// behind an API key: no key is LoopBack's 401, and the profile reaches
// Config.Authorize, which restricts each user to one list's todos.
func TestMountWithAuthentication(t *testing.T) {
	fx := newFixture(t, memoryConn(t))
	h, err := graphql.New(graphql.Config{
		Models: []*repository.Model{fx.lists.Model(), fx.todos.Model()},
		Authorize: func(ctx context.Context, op *graphql.Operation) (*filter.Where, error) {
			p, ok := auth.ProfileFrom(ctx)
			if !ok {
				return nil, auth.Forbidden()
			}
			if op.Model != "Todo" {
				return nil, nil
			}
			list := map[string]int64{"alice": 1, "bob": 2}[p.ID]
			return &filter.Where{Conds: []filter.Cond{{Path: "todoListId", Op: filter.Eq, Value: list}}}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := rest.New(rest.Config{})
	a := auth.New(auth.Config{})
	a.Register("key", &auth.APIKey{Lookup: auth.StaticKeys(map[string]*auth.Profile{"k1": {ID: "alice"}, "k2": {ID: "bob"}})})
	a.Install(srv)
	if err := graphql.Mount(srv, "/graphql", h, auth.Authenticate("key")); err != nil {
		t.Fatal(err)
	}
	if err := graphql.Mount(srv, "/graphql", h); err == nil {
		t.Fatal("a second Mount at the same path succeeded")
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	post := func(key, query string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/graphql", bytes.NewReader([]byte(`{"query":"`+query+`"}`)))
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("X-API-Key", key)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if status, body := post("", `{ todos { id } }`); status != 401 || !strings.Contains(body, `"name":"UnauthorizedError"`) {
		t.Errorf("without a key: %d %s; want LoopBack's 401", status, body)
	}
	if status, body := post("k2", `{ todos { id } }`); status != 200 || body != `{"data":{"todos":[{"id":3}]}}` {
		t.Errorf("bob: %d %s; want his list's todo only", status, body)
	}
	if status, body := post("k1", `mutation { deleteTodo(id: 3) }`); status != 200 || !strings.Contains(body, `"statusCode":403`) {
		t.Errorf("alice deleting bob's todo: %d %s; want a 403 field error", status, body)
	}
	if ok, _ := fx.todos.Exists(context.Background(), 3); !ok {
		t.Error("todo 3 was deleted")
	}
	specBytes, err := srv.SpecJSON(httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
	if err != nil {
		t.Fatal(err)
	}
	if doc := string(specBytes); !strings.Contains(doc, `"GraphQLController.mutate"`) {
		t.Errorf("the OpenAPI document does not describe /graphql: %.300s", doc)
	}
}

// TestMountSubscription serves subscriptions through Mount behind an API
// key: the WebSocket upgrade is an operation like the others (LoopBack's
// 401 without the key), and each user receives the changes of their own
// todos only.
func TestMountSubscription(t *testing.T) {
	fx := newSubFixture(t, nil)
	h, err := graphql.New(graphql.Config{
		Models: []*repository.Model{fx.lists.Model(), fx.todos.Model()},
		Bus:    fx.bus,
		Authorize: func(ctx context.Context, op *graphql.Operation) (*filter.Where, error) {
			p, ok := auth.ProfileFrom(ctx)
			if !ok {
				return nil, auth.Forbidden()
			}
			list := map[string]int64{"alice": 1, "bob": 2}[p.ID]
			return &filter.Where{Conds: []filter.Cond{{Path: "todoListId", Op: filter.Eq, Value: list}}}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := rest.New(rest.Config{})
	a := auth.New(auth.Config{})
	a.Register("key", &auth.APIKey{Lookup: auth.StaticKeys(map[string]*auth.Profile{"k1": {ID: "alice"}, "k2": {ID: "bob"}})})
	a.Install(srv)
	if err := graphql.Mount(srv, "/graphql", h, auth.Authenticate("key")); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	_, resp, err := websocket.Dial(context.Background(), "ws"+strings.TrimPrefix(ts.URL, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{graphql.Subprotocol}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("upgrade without a key: %v %v; want 401", resp, err)
	}
	ws := dialWS(t, ts.URL+"/graphql", http.Header{"X-Api-Key": {"k1"}})
	ws.init("")
	ws.send(subscribe("1", `subscription { todoChanged { id kind } }`))
	fx.waitSubscribers(t, 1)
	ctx := context.Background()
	if err := fx.todos.DeleteByID(ctx, 3); err != nil { // bob's
		t.Fatal(err)
	}
	if err := fx.todos.DeleteByID(ctx, 2); err != nil { // alice's
		t.Fatal(err)
	}
	if got, want := ws.next("1"), `{"data":{"todoChanged":{"id":2,"kind":"DELETE"}}}`; got != want {
		t.Errorf("got %s; want %s", got, want)
	}
}
