package graphql

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/internal/jsonw"
)

// Subprotocol is the WebSocket subprotocol the handler speaks:
// graphql-transport-ws, the protocol of the graphql-ws JavaScript library
// and of GraphiQL.
const Subprotocol = "graphql-transport-ws"

// The close codes of graphql-transport-ws.
const (
	// CloseBadRequest: a message that is not valid JSON, not one of the
	// protocol's, or that the server does not accept from a client.
	CloseBadRequest websocket.StatusCode = 4400
	// CloseUnauthorized: subscribe before the connection was acknowledged.
	CloseUnauthorized websocket.StatusCode = 4401
	// CloseForbidden: the credential of connection_init was refused.
	CloseForbidden websocket.StatusCode = 4403
	// CloseInitTimeout: no connection_init within Config.InitTimeout.
	CloseInitTimeout websocket.StatusCode = 4408
	// CloseDuplicateID: subscribe with the id of an operation running.
	CloseDuplicateID websocket.StatusCode = 4409
	// CloseTooManyInit: a second connection_init.
	CloseTooManyInit websocket.StatusCode = 4429
	// CloseInternal: the server failed (an authentication store down).
	CloseInternal websocket.StatusCode = 4500
)

// message is a message of graphql-transport-ws.
type message struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// maxIDBytes bounds an operation id.
const maxIDBytes = 256

// parseMessage decodes a client's message: a JSON object whose type is one
// a client may send (connection_init, ping, pong, subscribe, complete),
// with an id for subscribe and complete, and for subscribe a payload
// {query, operationName, variables, extensions} returned as the request.
// Its error is the close reason of a 4400.
func parseMessage(b []byte) (message, *Request, error) {
	var m message
	if err := json.Unmarshal(b, &m); err != nil {
		return m, nil, errors.New("Invalid message received: not a JSON object with a string type")
	}
	payload := bytes.TrimSpace(m.Payload)
	isObject := len(payload) > 0 && payload[0] == '{'
	switch m.Type {
	case "connection_init", "ping", "pong":
		if len(payload) > 0 && !isObject && !bytes.Equal(payload, []byte("null")) {
			return m, nil, fmt.Errorf("Invalid message received: the payload of %s must be an object", m.Type)
		}
		return m, nil, nil
	case "subscribe", "complete":
		if m.ID == "" || len(m.ID) > maxIDBytes {
			return m, nil, fmt.Errorf("Invalid message received: %s needs an id of 1 to %d bytes", m.Type, maxIDBytes)
		}
		if m.Type == "complete" {
			return m, nil, nil
		}
		var req Request
		if !isObject || json.Unmarshal(payload, &req) != nil || req.Query == "" {
			return m, nil, errors.New("Invalid message received: the payload of subscribe must be {query, operationName, variables}")
		}
		return m, &req, nil
	case "":
		return m, nil, errors.New("Invalid message received: no type")
	}
	return m, nil, fmt.Errorf("Invalid message received: unexpected type %.40q", m.Type)
}

// isWebSocket reports whether r asks to upgrade to a WebSocket.
func isWebSocket(r *http.Request) bool {
	return hasToken(r.Header, "Connection", "upgrade") && hasToken(r.Header, "Upgrade", "websocket")
}

// hasToken reports whether a comma-separated header has token.
func hasToken(h http.Header, key, token string) bool {
	for _, v := range h.Values(key) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// serveWS serves a graphql-transport-ws connection. A request without the
// subprotocol, or whose Authorization header Config.Authenticate refuses,
// is answered before the upgrade.
func (h *Handler) serveWS(w http.ResponseWriter, r *http.Request) {
	if !hasToken(r.Header, "Sec-WebSocket-Protocol", Subprotocol) {
		h.write(w, requestError("BAD_REQUEST", "a GraphQL WebSocket must use the "+Subprotocol+" subprotocol"))
		return
	}
	ctx := r.Context()
	_, authed := auth.ProfileFrom(ctx)
	if !authed && h.cfg.Authenticate != nil && r.Header.Get("Authorization") != "" {
		p, err := h.authenticate(r)
		if err != nil {
			h.writeAuthError(w, r, err)
			return
		}
		ctx, authed = auth.WithProfile(ctx, p), true
	}
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{Subprotocol}, OriginPatterns: h.cfg.OriginPatterns})
	if err != nil {
		return // Accept answered the client (403 for another origin …)
	}
	defer c.CloseNow()
	c.SetReadLimit(h.cfg.MaxBodyBytes)
	ctx, cancel := context.WithCancel(ctx)
	cn := &wsConn{h: h, c: c, base: ctx, ctx: ctx, upgrade: r, authed: authed || h.cfg.Authenticate == nil, ops: map[string]*wsOp{}}
	defer cn.wg.Wait()
	defer cancel() // ends the operations, then waits for them
	cn.serve()
}

// wsConn is one graphql-transport-ws connection.
type wsConn struct {
	h       *Handler
	c       *websocket.Conn
	base    context.Context // the connection's
	ctx     context.Context // base with the profile; set before ack
	upgrade *http.Request
	authed  bool // a profile is in ctx, or none is needed
	inited  atomic.Bool
	acked   bool

	mu  sync.Mutex
	ops map[string]*wsOp
	wg  sync.WaitGroup
}

// wsOp is an operation running on a connection.
type wsOp struct{ cancel context.CancelFunc }

// serve reads the client's messages until the connection ends.
func (cn *wsConn) serve() {
	timer := time.AfterFunc(cn.h.cfg.InitTimeout, func() {
		if !cn.inited.Load() {
			cn.close(CloseInitTimeout, "Connection initialisation timeout")
		}
	})
	defer timer.Stop()
	cn.wg.Add(1)
	go cn.keepAlive()
	for {
		typ, data, err := cn.c.Read(cn.base)
		if err != nil {
			return
		}
		if typ != websocket.MessageText {
			cn.close(CloseBadRequest, "Invalid message received: not text")
			return
		}
		m, req, err := parseMessage(data)
		if err != nil {
			cn.close(CloseBadRequest, err.Error())
			return
		}
		switch m.Type {
		case "connection_init":
			if cn.inited.Swap(true) {
				cn.close(CloseTooManyInit, "Too many initialisation requests")
				return
			}
			if !cn.authed {
				p, err := cn.h.authenticate(withAuthorization(cn.upgrade, m.Payload))
				if err != nil {
					if auth.IsUnauthorized(err) {
						cn.close(CloseForbidden, "Forbidden")
					} else {
						cn.h.log.ErrorContext(cn.base, "graphql: authenticate", "err", err)
						cn.close(CloseInternal, "Internal Server Error")
					}
					return
				}
				cn.ctx = auth.WithProfile(cn.ctx, p)
			}
			cn.acked = true
			if cn.write([]byte(`{"type":"connection_ack"}`)) != nil {
				return
			}
		case "ping":
			if cn.write([]byte(`{"type":"pong"}`)) != nil {
				return
			}
		case "pong":
		case "subscribe":
			if !cn.acked {
				cn.close(CloseUnauthorized, "Unauthorized")
				return
			}
			cn.mu.Lock()
			_, dup := cn.ops[m.ID]
			full := len(cn.ops) >= cn.h.cfg.MaxSubscriptions
			if dup || full {
				cn.mu.Unlock()
				if dup {
					cn.close(CloseDuplicateID, "Subscriber for "+m.ID+" already exists")
					return
				}
				cn.sendErrors(m.ID, []Error{errTooMany})
				continue
			}
			ctx, cancel := context.WithCancel(cn.ctx)
			op := &wsOp{cancel: cancel}
			cn.ops[m.ID] = op
			cn.mu.Unlock()
			cn.wg.Add(1)
			go cn.run(ctx, m.ID, op, *req)
		case "complete":
			cn.mu.Lock()
			if op := cn.ops[m.ID]; op != nil {
				op.cancel()
				delete(cn.ops, m.ID)
			}
			cn.mu.Unlock()
		}
	}
}

// withAuthorization returns the upgrade request with the Authorization
// member of a connection_init payload as its header, for the strategy.
func withAuthorization(r *http.Request, payload json.RawMessage) *http.Request {
	var p map[string]any
	_ = json.Unmarshal(payload, &p)
	r2 := r.Clone(r.Context())
	r2.Header.Del("Authorization")
	for k, v := range p {
		if s, ok := v.(string); ok && strings.EqualFold(k, "Authorization") {
			r2.Header.Set("Authorization", s)
		}
	}
	return r2
}

// keepAlive pings the client every Config.KeepAlive; a client that does
// not answer within WriteTimeout is disconnected.
func (cn *wsConn) keepAlive() {
	defer cn.wg.Done()
	tick := time.NewTicker(cn.h.cfg.KeepAlive)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			ctx, cancel := context.WithTimeout(cn.base, cn.h.cfg.WriteTimeout)
			err := cn.c.Ping(ctx)
			cancel()
			if err != nil {
				cn.c.CloseNow()
				return
			}
		case <-cn.base.Done():
			return
		}
	}
}

// run runs one operation: a query or mutation answered with one next and
// complete, a subscription with a next per change event until the client
// completes it, the connection ends, the subscriber is dropped as too slow
// (an error message) or the bus closes (complete).
func (cn *wsConn) run(ctx context.Context, id string, op *wsOp, req Request) {
	defer cn.wg.Done()
	defer op.cancel()
	h := cn.h
	def, resp := h.operation(req)
	if resp == nil && def.Operation != ast.Subscription {
		resp = h.Do(ctx, req, true)
		if resp.Status == http.StatusOK {
			buf := h.buffer()
			b, err := resp.AppendJSON(cn.header(buf, id, "next"))
			if err != nil {
				h.log.ErrorContext(ctx, "graphql: encode response", "err", err)
				b = append(cn.header(buf, id, "next"), `{"errors":[{"message":"Internal Server Error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":null}`...)
			}
			err = cn.write(append(b, '}'))
			h.release(append(resp.bufs, b)...)
			if err == nil && cn.finish(id, op) {
				cn.complete(id)
			}
			return
		}
	}
	var s *subscription
	if resp == nil {
		s, resp = h.subscribe(ctx, def, req.Variables)
	}
	if resp != nil {
		if cn.finish(id, op) {
			cn.sendErrors(id, resp.Errors)
		}
		return
	}
	sub := h.cfg.Bus.Subscribe(ctx, s.opts)
	defer sub.Close()
	buf := h.buffer()
	defer func() { h.release(buf) }()
	for ev := range sub.Events() {
		buf = append(s.appendResult(ctx, cn.header(buf[:0], id, "next"), ev), '}')
		if cn.write(buf) != nil {
			return
		}
	}
	if ctx.Err() != nil || !cn.finish(id, op) {
		return // completed by the client, or the connection ended
	}
	if errors.Is(sub.Err(), events.ErrSlow) {
		cn.sendErrors(id, []Error{errSlow})
		return
	}
	cn.complete(id)
}

// finish removes a finished operation; it reports false when the client
// completed it already.
func (cn *wsConn) finish(id string, op *wsOp) bool {
	cn.mu.Lock()
	defer cn.mu.Unlock()
	if cn.ops[id] != op {
		return false
	}
	delete(cn.ops, id)
	return true
}

// header appends the start of a message with a payload:
// {"id":…,"type":…,"payload":
func (cn *wsConn) header(b []byte, id, typ string) []byte {
	b = append(b, `{"id":`...)
	b = jsonw.AppendString(b, id)
	b = append(b, `,"type":"`...)
	b = append(b, typ...)
	return append(b, `","payload":`...)
}

// sendErrors sends the error message of an operation.
func (cn *wsConn) sendErrors(id string, errs []Error) {
	raw, err := json.Marshal(errs)
	if err != nil {
		raw = []byte(`[{"message":"Internal Server Error"}]`)
	}
	_ = cn.write(append(append(cn.header(nil, id, "error"), raw...), '}'))
}

// complete sends the complete message of an operation.
func (cn *wsConn) complete(id string) {
	b := append([]byte(`{"id":`), jsonw.AppendString(nil, id)...)
	_ = cn.write(append(b, `,"type":"complete"}`...))
}

// write sends a message within WriteTimeout; a client that does not read
// is disconnected (the write's timeout closes the connection).
func (cn *wsConn) write(b []byte) error {
	ctx, cancel := context.WithTimeout(cn.base, cn.h.cfg.WriteTimeout)
	defer cancel()
	return cn.c.Write(ctx, websocket.MessageText, b)
}

// close closes the connection with a code and reason of the protocol.
func (cn *wsConn) close(code websocket.StatusCode, reason string) {
	if len(reason) > 123 { // a close frame's reason is at most 123 bytes
		reason = reason[:120] + "…"
	}
	_ = cn.c.Close(code, reason)
}

// authenticate runs Config.Authenticate on r.
func (h *Handler) authenticate(r *http.Request) (*auth.Profile, error) {
	p, err := h.cfg.Authenticate.Authenticate(r)
	if err == nil && (p == nil || p.ID == "") {
		err = errors.New("graphql: the authentication strategy returned no profile")
	}
	return p, err
}

// writeAuthError answers a request Config.Authenticate refused: 401 with
// the strategy's message and challenge, or 500 when it failed.
func (h *Handler) writeAuthError(w http.ResponseWriter, r *http.Request, err error) {
	if !auth.IsUnauthorized(err) {
		h.log.ErrorContext(r.Context(), "graphql: authenticate", "err", err)
		resp := requestError("INTERNAL_SERVER_ERROR", "Internal Server Error")
		resp.Status = http.StatusInternalServerError
		h.write(w, resp)
		return
	}
	if c, ok := h.cfg.Authenticate.(auth.Challenger); ok {
		w.Header().Add("WWW-Authenticate", c.Challenge(err))
	}
	resp := &Response{Status: http.StatusUnauthorized, Errors: []Error{h.fieldError(r.Context(), err, "", nil)}}
	resp.Errors[0].Extensions["code"] = "UNAUTHENTICATED"
	h.write(w, resp)
}
