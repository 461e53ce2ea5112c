package graphql_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/graphql"
	"github.com/loopback-go/lb/repository"
)

// subFixture serves the todo-list models with subscriptions fed by bus.
type subFixture struct {
	*fixture
	bus *events.Bus
}

func newSubFixture(t testing.TB, edit func(*graphql.Config)) *subFixture {
	t.Helper()
	fx := &subFixture{fixture: newFixture(t, memoryConn(t)), bus: events.NewBus(events.Config{})}
	fx.todos.ObserveChanges(fx.bus)
	fx.lists.ObserveChanges(fx.bus)
	cfg := graphql.Config{Models: []*repository.Model{fx.lists.Model(), fx.todos.Model()}, Bus: fx.bus}
	if edit != nil {
		edit(&cfg)
	}
	var err error
	if fx.h, err = graphql.New(cfg); err != nil {
		t.Fatal(err)
	}
	fx.srv = httptest.NewServer(fx.h)
	t.Cleanup(fx.srv.Close)
	t.Cleanup(fx.bus.Close)
	return fx
}

// waitSubscribers waits until the bus has n subscribers.
func (fx *subFixture) waitSubscribers(t testing.TB, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for fx.bus.Subscribers() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d subscribers; want %d", fx.bus.Subscribers(), n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// wsClient is a graphql-transport-ws client over a real socket.
type wsClient struct {
	t testing.TB
	c *websocket.Conn
}

func dialWS(t testing.TB, url string, header http.Header) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http"), &websocket.DialOptions{
		Subprotocols: []string{graphql.Subprotocol}, HTTPHeader: header})
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial: %v (status %d)", err, status)
	}
	if c.Subprotocol() != graphql.Subprotocol {
		t.Fatalf("subprotocol %q", c.Subprotocol())
	}
	t.Cleanup(func() { c.CloseNow() })
	return &wsClient{t: t, c: c}
}

func (w *wsClient) send(msg string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := w.c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		w.t.Fatalf("send %s: %v", msg, err)
	}
}

// recv returns the next message as text.
func (w *wsClient) recv() string {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, b, err := w.c.Read(ctx)
	if err != nil {
		w.t.Fatalf("recv: %v", err)
	}
	return string(b)
}

// expect receives a message and checks it is want.
func (w *wsClient) expect(want string) {
	w.t.Helper()
	if got := w.recv(); got != want {
		w.t.Fatalf("got %s\nwant %s", got, want)
	}
}

// closed reads until the server closes and returns its close status and
// reason.
func (w *wsClient) closed() (websocket.StatusCode, string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		_, b, err := w.c.Read(ctx)
		if err != nil {
			var ce websocket.CloseError
			if errors.As(err, &ce) {
				return ce.Code, ce.Reason
			}
			w.t.Fatalf("read ended with %v, not a close", err)
		}
		w.t.Logf("before close: %s", b)
	}
}

func (w *wsClient) init(payload string) {
	w.t.Helper()
	if payload == "" {
		w.send(`{"type":"connection_init"}`)
	} else {
		w.send(`{"type":"connection_init","payload":` + payload + `}`)
	}
	w.expect(`{"type":"connection_ack"}`)
}

func subscribe(id, query string) string {
	b, _ := json.Marshal(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query}})
	return string(b)
}

// next decodes a next message of operation id and returns its payload.
func (w *wsClient) next(id string) string {
	w.t.Helper()
	var m struct {
		ID      string          `json:"id"`
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload"`
	}
	raw := w.recv()
	if err := json.Unmarshal([]byte(raw), &m); err != nil || m.Type != "next" || m.ID != id {
		w.t.Fatalf("got %s; want a next of %s", raw, id)
	}
	return string(m.Payload)
}

// TestSubscriptionWebSocket subscribes over a real socket, writes through
// the repository and receives each change with the fields selected,
// relations read as in queries; a query over the socket gets one next and
// complete; complete stops the delivery.
func TestSubscriptionWebSocket(t *testing.T) {
	fx := newSubFixture(t, nil)
	ctx := context.Background()
	ws := dialWS(t, fx.srv.URL, nil)
	ws.init("")
	ws.send(`{"type":"ping","payload":{"n":1}}`)
	ws.expect(`{"type":"pong"}`)
	ws.send(subscribe("s1", `subscription { c: todoChanged { __typename kind id seq changed instance { id title todoList { title } } } }`))
	fx.waitSubscribers(t, 1)

	td := Todo{Title: "walk the dog", TodoListID: 2}
	if _, err := fx.todos.Create(ctx, &td); err != nil {
		t.Fatal(err)
	}
	got := ws.next("s1")
	want := `{"data":{"c":{"__typename":"TodoChange","kind":"CREATE","id":5,"seq":1,"changed":["title","todoListId"],` +
		`"instance":{"id":5,"title":"walk the dog","todoList":{"title":"My daily chores"}}}}}`
	if got != want {
		t.Fatalf("create:\n got %s\nwant %s", got, want)
	}
	if err := fx.todos.UpdateByID(ctx, 5, connector.Record{"title": "walk the cat"}); err != nil {
		t.Fatal(err)
	}
	want = `{"data":{"c":{"__typename":"TodoChange","kind":"UPDATE","id":5,"seq":2,"changed":["title"],` +
		`"instance":{"id":5,"title":"walk the cat","todoList":{"title":"My daily chores"}}}}}`
	if got := ws.next("s1"); got != want {
		t.Fatalf("update:\n got %s\nwant %s", got, want)
	}
	// A query over the socket: one next, then complete.
	ws.send(subscribe("q1", `{ todosCount todo(id: 5) { title } }`))
	if got, want := ws.next("q1"), `{"data":{"todosCount":5,"todo":{"title":"walk the cat"}}}`; got != want {
		t.Fatalf("query: got %s; want %s", got, want)
	}
	ws.expect(`{"id":"q1","type":"complete"}`)
	// A mutation over the socket is delivered to the subscription too.
	ws.send(subscribe("m1", `mutation { deleteTodo(id: 5) }`))
	msgs := map[string]bool{ws.recv(): true, ws.recv(): true, ws.recv(): true}
	for _, w := range []string{`{"id":"m1","type":"next","payload":{"data":{"deleteTodo":true}}}`, `{"id":"m1","type":"complete"}`,
		`{"id":"s1","type":"next","payload":{"data":{"c":{"__typename":"TodoChange","kind":"DELETE","id":5,"seq":3,"changed":[],"instance":{"id":5,"title":"walk the cat","todoList":null}}}}}`} {
		if !msgs[w] {
			t.Errorf("missing %s in %v", w, msgs)
		}
	}
	// complete stops the delivery: the next message is the pong.
	ws.send(`{"id":"s1","type":"complete"}`)
	fx.waitSubscribers(t, 0)
	if _, err := fx.todos.Create(ctx, &Todo{Title: "unseen", TodoListID: 1}); err != nil {
		t.Fatal(err)
	}
	ws.send(`{"type":"ping"}`)
	ws.expect(`{"type":"pong"}`)
	// The id is free again.
	ws.send(subscribe("s1", `subscription { todoListChanged { kind instance { title } } }`))
	fx.waitSubscribers(t, 1)
	if err := fx.lists.UpdateByID(ctx, 1, connector.Record{"color": "green"}); err != nil {
		t.Fatal(err)
	}
	if got, want := ws.next("s1"), `{"data":{"todoListChanged":{"kind":"UPDATE","instance":{"title":"Sith lord's check list"}}}}`; got != want {
		t.Fatalf("list: got %s; want %s", got, want)
	}
}

// TestSubscriptionFilters applies where (on the instance) and kinds, as
// literals and variables.
func TestSubscriptionFilters(t *testing.T) {
	fx := newSubFixture(t, nil)
	ctx := context.Background()
	ws := dialWS(t, fx.srv.URL, nil)
	ws.init("{}")
	ws.send(subscribe("a", `subscription { todoChanged(where: {todoListId: 1}, kinds: [UPDATE, DELETE]) { kind id } }`))
	b, _ := json.Marshal(map[string]any{"id": "b", "type": "subscribe", "payload": map[string]any{
		"query":     `subscription($w: JSON, $k: [ChangeKind!]) { todoChanged(where: $w, kinds: $k) { kind id } }`,
		"variables": map[string]any{"w": `{"title": {"like": "%galaxy%"}}`, "k": []string{"UPDATE"}}}})
	ws.send(string(b))
	fx.waitSubscribers(t, 2)
	if _, err := fx.todos.Create(ctx, &Todo{Title: "in list 1", TodoListID: 1}); err != nil { // kind: neither
		t.Fatal(err)
	}
	if err := fx.todos.UpdateByID(ctx, 3, connector.Record{"desc": "list 2"}); err != nil { // where: neither
		t.Fatal(err)
	}
	if err := fx.todos.UpdateByID(ctx, 2, connector.Record{"desc": "x"}); err != nil { // a only
		t.Fatal(err)
	}
	if err := fx.todos.UpdateByID(ctx, 1, connector.Record{"desc": "y"}); err != nil { // a and b
		t.Fatal(err)
	}
	// Operations run concurrently: a's and b's messages may interleave,
	// each in its own order; none of the first two changes is sent.
	got := map[string]bool{ws.recv(): true, ws.recv(): true, ws.recv(): true}
	for _, w := range []string{`{"id":"a","type":"next","payload":{"data":{"todoChanged":{"kind":"UPDATE","id":2}}}}`,
		`{"id":"a","type":"next","payload":{"data":{"todoChanged":{"kind":"UPDATE","id":1}}}}`,
		`{"id":"b","type":"next","payload":{"data":{"todoChanged":{"kind":"UPDATE","id":1}}}}`} {
		if !got[w] {
			t.Errorf("missing %s in %v", w, got)
		}
	}
}

// TestSubscriptionErrors: documents and arguments that fail are error
// messages of their operation; protocol violations close the socket with
// the protocol's codes.
func TestSubscriptionErrors(t *testing.T) {
	fx := newSubFixture(t, func(c *graphql.Config) { c.MaxSubscriptions = 2; c.InitTimeout = 200 * time.Millisecond })
	ws := dialWS(t, fx.srv.URL, nil)
	ws.init("")
	cases := []struct{ query, want string }{
		{`subscription { todoChanged { nope } }`, `Cannot query field \"nope\" on type \"TodoChange\".`},
		{`subscription { todoChanged(where: {nope: 1}) { id } }`, `"message":"Invalid filter: nope unknown property \"nope\" of model Todo.","locations":[{"line":1,"column":16}],"path":["todoChanged"],"extensions":{"code":"INVALID_PARAMETER_VALUE"`},
		{`subscription { todoChanged(where: "{not json") { id } }`, `"extensions":{"code":`},
		{`subscription { todoChanged(kinds: [CREATED]) { id } }`, `Value \"CREATED\" does not exist in \"ChangeKind!\" enum.`},
		{`subscription { todoChanged { id } todoListChanged { id } }`, `must select only one top level field`},
		{`subscription {`, `GRAPHQL_PARSE_FAILED`},
		{`{ todos(where: {id: {regexp: "("}}) { id } }`, `"type":"next"`},
	}
	for i, c := range cases {
		id := string(rune('a' + i))
		ws.send(subscribe(id, c.query))
		got := ws.recv()
		if !strings.HasPrefix(got, `{"id":"`+id+`","type":"`) || !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got %s\nwant it to contain %s", c.query, got, c.want)
		}
		if strings.Contains(got, `"type":"next"`) {
			ws.expect(`{"id":"` + id + `","type":"complete"}`)
		}
	}
	if fx.bus.Subscribers() != 0 {
		t.Errorf("%d subscribers after errors", fx.bus.Subscribers())
	}
	// At most MaxSubscriptions operations at once.
	ws.send(subscribe("s1", `subscription { todoChanged { id } }`))
	ws.send(subscribe("s2", `subscription { todoChanged { id } }`))
	ws.send(subscribe("s3", `subscription { todoChanged { id } }`))
	if got := ws.recv(); !strings.HasPrefix(got, `{"id":"s3","type":"error"`) || !strings.Contains(got, "TOO_MANY_SUBSCRIPTIONS") {
		t.Errorf("third subscription: %s", got)
	}
	fx.waitSubscribers(t, 2)
	// A running id again: 4409.
	ws.send(subscribe("s1", `subscription { todoChanged { id } }`))
	if code, reason := ws.closed(); code != graphql.CloseDuplicateID || reason != "Subscriber for s1 already exists" {
		t.Errorf("duplicate id: %d %q", code, reason)
	}
	fx.waitSubscribers(t, 0) // the connection's subscriptions ended with it

	protocol := []struct {
		init bool
		msgs []string
		code websocket.StatusCode
	}{
		{false, []string{subscribe("x", `subscription { todoChanged { id } }`)}, graphql.CloseUnauthorized},
		{true, []string{`{"type":"connection_init"}`}, graphql.CloseTooManyInit},
		{true, []string{`{"type":"next","id":"x","payload":{}}`}, graphql.CloseBadRequest},
		{true, []string{`not json`}, graphql.CloseBadRequest},
		{true, []string{`{"type":"subscribe","payload":{"query":"{ todosCount }"}}`}, graphql.CloseBadRequest},
		{false, nil, graphql.CloseInitTimeout},
	}
	for _, p := range protocol {
		ws := dialWS(t, fx.srv.URL, nil)
		if p.init {
			ws.init("")
		}
		for _, m := range p.msgs {
			ws.send(m)
		}
		if code, reason := ws.closed(); code != p.code {
			t.Errorf("%v: closed with %d %q; want %d", p.msgs, code, reason, p.code)
		}
	}
	// Not the subprotocol: refused before the upgrade.
	ctx := context.Background()
	_, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(fx.srv.URL, "http"), nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("dial without subprotocol: %v %v", resp, err)
	}
}

// TestSubscriptionAuth: the credential comes in the upgrade request's
// Authorization header or in connection_init's payload; the ownership
// rule of Authorize applies to every event.
func TestSubscriptionAuth(t *testing.T) {
	users := map[string]*auth.Profile{"alice": {ID: "1"}, "bob": {ID: "2"}}
	var (
		mu  sync.Mutex
		ops []string
	)
	fx := newSubFixture(t, func(c *graphql.Config) {
		c.Authenticate = auth.StrategyFunc(func(r *http.Request) (*auth.Profile, error) {
			tok, err := auth.BearerToken(r.Header.Get("Authorization"))
			if err != nil {
				return nil, err
			}
			if p := users[tok]; p != nil {
				return p, nil
			}
			return nil, auth.Unauthorized("Error verifying token : invalid token")
		})
		// Each user owns the todos of the list with their id.
		c.Authorize = func(ctx context.Context, op *graphql.Operation) (*filter.Where, error) {
			p, ok := auth.ProfileFrom(ctx)
			if !ok {
				return nil, errors.New("no profile")
			}
			if op.Model == "TodoList" {
				return nil, auth.Forbidden()
			}
			mu.Lock()
			ops = append(ops, p.ID+":"+op.Model+"."+op.Name)
			if op.Subscription {
				ops[len(ops)-1] += "(subscription)"
			}
			mu.Unlock()
			list, _ := strconv.Atoi(p.ID)
			return &filter.Where{Conds: []filter.Cond{{Path: "todoListId", Op: filter.Eq, Value: list}}}, nil
		}
	})
	ctx := context.Background()

	// No credential: 4403 at connection_init.
	ws := dialWS(t, fx.srv.URL, nil)
	ws.send(`{"type":"connection_init","payload":{}}`)
	if code, _ := ws.closed(); code != graphql.CloseForbidden {
		t.Errorf("no credential: closed with %d; want 4403", code)
	}
	ws = dialWS(t, fx.srv.URL, nil)
	ws.send(`{"type":"connection_init","payload":{"Authorization":"Bearer mallory"}}`)
	if code, _ := ws.closed(); code != graphql.CloseForbidden {
		t.Errorf("bad token: closed with %d; want 4403", code)
	}
	// A bad header: 401 before the upgrade.
	_, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(fx.srv.URL, "http"), &websocket.DialOptions{
		Subprotocols: []string{graphql.Subprotocol}, HTTPHeader: http.Header{"Authorization": {"Bearer mallory"}}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("bad header: %v %v", resp, err)
	}
	// And over HTTP.
	if status, body := fx.post(t, `{ todosCount }`, nil); status != 401 || !strings.Contains(body, `"code":"UNAUTHENTICATED"`) {
		t.Errorf("POST without a token: %d %s", status, body)
	}

	alice := dialWS(t, fx.srv.URL, nil)
	alice.init(`{"Authorization":"Bearer alice"}`)
	bob := dialWS(t, fx.srv.URL, http.Header{"Authorization": {"Bearer bob"}})
	bob.init("")
	alice.send(subscribe("s", `subscription { todoChanged { id instance { todoListId } } }`))
	bob.send(subscribe("s", `subscription { todoChanged(where: {id: {gt: 0}}) { id instance { todoListId } } }`))
	fx.waitSubscribers(t, 2)
	if err := fx.todos.UpdateByID(ctx, 3, connector.Record{"desc": "bob's"}); err != nil {
		t.Fatal(err)
	}
	if err := fx.todos.UpdateByID(ctx, 1, connector.Record{"desc": "alice's"}); err != nil {
		t.Fatal(err)
	}
	if got, want := alice.next("s"), `{"data":{"todoChanged":{"id":1,"instance":{"todoListId":1}}}}`; got != want {
		t.Errorf("alice: got %s; want %s (bob's change must not reach her)", got, want)
	}
	if got, want := bob.next("s"), `{"data":{"todoChanged":{"id":3,"instance":{"todoListId":2}}}}`; got != want {
		t.Errorf("bob: got %s; want %s", got, want)
	}
	// Queries over the socket are restricted alike.
	bob.send(subscribe("q", `{ todosCount }`))
	if got, want := bob.next("q"), `{"data":{"todosCount":1}}`; got != want {
		t.Errorf("bob's count: got %s; want %s", got, want)
	}
	bob.expect(`{"id":"q","type":"complete"}`)
	// Bob sees his own change next, not alice's second one.
	if err := fx.todos.UpdateByID(ctx, 2, connector.Record{"desc": "alice's"}); err != nil {
		t.Fatal(err)
	}
	if err := fx.todos.UpdateByID(ctx, 3, connector.Record{"desc": "bob's again"}); err != nil {
		t.Fatal(err)
	}
	if got, want := bob.next("s"), `{"data":{"todoChanged":{"id":3,"instance":{"todoListId":2}}}}`; got != want {
		t.Errorf("bob: got %s; want %s", got, want)
	}
	mu.Lock()
	defer mu.Unlock()
	sort.Strings(ops)
	// A subscription Authorize refuses is an error of the operation.
	alice.send(subscribe("l", `subscription { todoListChanged { id } }`))
	refused := false
	for _, got := range []string{alice.recv(), alice.recv()} { // and her change of todo 2
		if strings.HasPrefix(got, `{"id":"l","type":"error","payload":[{"message":"Access denied"`) && strings.Contains(got, `"statusCode":403`) {
			refused = true
		} else if got != `{"id":"s","type":"next","payload":{"data":{"todoChanged":{"id":2,"instance":{"todoListId":1}}}}}` {
			t.Errorf("alice: unexpected %s", got)
		}
	}
	if !refused {
		t.Error("the refused subscription got no error")
	}
	if want := "1:Todo.find(subscription) 2:Todo.count 2:Todo.find(subscription)"; strings.Join(ops, " ") != want {
		t.Errorf("operations %v; want %s", ops, want)
	}
}

// TestSubscriptionSlowClient: a subscriber that falls behind is dropped
// with an error message, not buffered without bound.
func TestSubscriptionSlowClient(t *testing.T) {
	fx := newSubFixture(t, func(c *graphql.Config) { c.SubscriptionBuffer = 1 })
	ws := dialWS(t, fx.srv.URL, nil)
	ws.init("")
	ws.send(subscribe("s", `subscription { todoChanged { seq } }`))
	fx.waitSubscribers(t, 1)
	// One publication of many events: the subscriber cannot keep up.
	evs := make([]events.Event, 1000)
	for i := range evs {
		evs[i] = events.Event{Model: "Todo", Kind: events.Updated, ID: 1, Instance: connector.Record{"id": 1, "title": "t"}}
	}
	fx.bus.Publish(evs...)
	nexts := 0
	for {
		m := ws.recv()
		if strings.HasPrefix(m, `{"id":"s","type":"next"`) {
			nexts++
			continue
		}
		if !strings.HasPrefix(m, `{"id":"s","type":"error"`) || !strings.Contains(m, "SLOW_CONSUMER") {
			t.Fatalf("got %s; want the slow consumer error", m)
		}
		break
	}
	if nexts >= len(evs) {
		t.Errorf("%d events delivered; want fewer than %d", nexts, len(evs))
	}
	fx.waitSubscribers(t, 0)
	ws.send(`{"type":"ping"}`) // the connection stays usable
	ws.expect(`{"type":"pong"}`)
}

// TestSubscriptionSSE serves a subscription and a query as graphql-sse
// event streams.
func TestSubscriptionSSE(t *testing.T) {
	fx := newSubFixture(t, nil)
	post := func(query string) *http.Response {
		body, _ := json.Marshal(map[string]any{"query": query})
		req, _ := http.NewRequest(http.MethodPost, fx.srv.URL, strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "text/event-stream")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	res := post(`subscription { todoChanged(kinds: [CREATE]) { kind instance { title } } }`)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	r := bufio.NewReader(res.Body)
	line := func() string {
		s, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if l := line(); l != ": connected\n" {
		t.Fatalf("first line %q", l)
	}
	line()
	fx.waitSubscribers(t, 1)
	if _, err := fx.todos.Create(context.Background(), &Todo{Title: "streamed", TodoListID: 1}); err != nil {
		t.Fatal(err)
	}
	got := line() + line()
	if want := "event: next\ndata: {\"data\":{\"todoChanged\":{\"kind\":\"CREATE\",\"instance\":{\"title\":\"streamed\"}}}}\n"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
	res = post(`{ todosCount }`)
	b := make([]byte, 200)
	n, _ := bufioReadAll(res, b)
	if got, want := string(b[:n]), "event: next\ndata: {\"data\":{\"todosCount\":5}}\n\nevent: complete\ndata:\n\n"; got != want {
		t.Errorf("query: got %q; want %q", got, want)
	}
	res = post(`subscription { todoChanged { nope } }`)
	if res.StatusCode != 400 {
		t.Errorf("bad subscription: %d", res.StatusCode)
	}
}

func bufioReadAll(res *http.Response, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := res.Body.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// TestSubscriptionIntrospection: GraphiQL and other tools see the
// Subscription type.
func TestSubscriptionIntrospection(t *testing.T) {
	fx := newSubFixture(t, nil)
	status, body := fx.post(t, `{ __schema { subscriptionType { name fields { name args { name } type { kind ofType { name } } } } }
	  __type(name: "ChangeKind") { kind enumValues { name } } }`, nil)
	want := `{"data":{"__schema":{"subscriptionType":{"name":"Subscription","fields":[` +
		`{"name":"todoListChanged","args":[{"name":"where"},{"name":"kinds"}],"type":{"kind":"NON_NULL","ofType":{"name":"TodoListChange"}}},` +
		`{"name":"todoChanged","args":[{"name":"where"},{"name":"kinds"}],"type":{"kind":"NON_NULL","ofType":{"name":"TodoChange"}}}]}},` +
		`"__type":{"kind":"ENUM","enumValues":[{"name":"CREATE"},{"name":"UPDATE"},{"name":"REPLACE"},{"name":"DELETE"}]}}}`
	if status != 200 || body != want {
		t.Errorf("got %d %s\nwant %s", status, body, want)
	}
	if status, body := fx.post(t, `subscription { todoChanged { id } }`, nil); status != 400 || !strings.Contains(body, "WebSocket") {
		t.Errorf("subscription over POST: %d %s", status, body)
	}
	// Without a bus there is no Subscription type.
	plain := newFixture(t, memoryConn(t))
	if _, body := plain.post(t, `{ __schema { subscriptionType { name } } }`, nil); body != `{"data":{"__schema":{"subscriptionType":null}}}` {
		t.Errorf("without a bus: %s", body)
	}
}

// TestSubscriptionDeadClient: a client that stops reading (it answers no
// ping) is disconnected and its subscriptions end.
func TestSubscriptionDeadClient(t *testing.T) {
	fx := newSubFixture(t, func(c *graphql.Config) {
		c.KeepAlive = 30 * time.Millisecond
		c.WriteTimeout = 100 * time.Millisecond
	})
	ws := dialWS(t, fx.srv.URL, nil)
	ws.init("")
	ws.send(subscribe("s", `subscription { todoChanged { id } }`))
	fx.waitSubscribers(t, 1)
	// The client reads nothing more: pongs are only sent while reading.
	fx.waitSubscribers(t, 0)
	_, _, err := ws.c.Read(context.Background())
	if err == nil {
		t.Fatal("the connection is still open")
	}
	// A client that reads stays connected across many pings.
	live := dialWS(t, fx.srv.URL, nil)
	live.init("")
	live.send(subscribe("s", `subscription { todoChanged { id } }`))
	fx.waitSubscribers(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	if _, _, err := live.c.Read(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("read: %v; want the test's own timeout", err)
	}
}

// TestSubscriptionSSESlowClient: an event-stream subscriber that falls
// behind gets the SLOW_CONSUMER error as its last result, then complete.
func TestSubscriptionSSESlowClient(t *testing.T) {
	fx := newSubFixture(t, func(c *graphql.Config) { c.SubscriptionBuffer = 1 })
	req, _ := http.NewRequest(http.MethodGet, fx.srv.URL+"?query="+url.QueryEscape(`subscription { todoChanged { seq } }`), nil)
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	fx.waitSubscribers(t, 1)
	evs := make([]events.Event, 1000)
	for i := range evs {
		evs[i] = events.Event{Model: "Todo", Kind: events.Updated, ID: 1, Instance: connector.Record{"id": 1}}
	}
	fx.bus.Publish(evs...)
	sc := bufio.NewScanner(res.Body)
	nexts, last := 0, ""
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, "data: ") {
			nexts++
			last = l
		} else if l == "event: complete" {
			break
		}
	}
	if !strings.Contains(last, `"code":"SLOW_CONSUMER"`) || nexts >= len(evs) {
		t.Errorf("%d results, the last %s; want fewer than %d, ending with the slow consumer error", nexts, last, len(evs))
	}
}
