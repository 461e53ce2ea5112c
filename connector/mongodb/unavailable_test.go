package mongodb_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// proxy forwards TCP connections to a server until it is stopped, and
// can start again on the same address: a server going away and coming
// back, as the connector sees it.
type proxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func (p *proxy) start() {
	p.t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port may linger briefly after a stop
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", p.target)
			if err != nil {
				in.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, in, out)
			p.mu.Unlock()
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
}

func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestUnavailable checks that a server that goes away is a 503 naming
// the data source, with no driver text, and that the connector recovers
// by itself when the server is back.
func TestUnavailable(t *testing.T) {
	cfg := testDB(t)
	u, err := url.Parse(cfg.URL)
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	if u.Port() == "" {
		target += ":27017"
	}
	p := &proxy{t: t, addr: "127.0.0.1:0", target: target}
	p.start()
	t.Cleanup(p.stop)
	u.Host = p.addr
	cfg.URL, cfg.Name, cfg.ConnectTimeout = u.String()+"?directConnection=true", "todoDS", time.Second
	c := open(t, cfg)
	def := &model.Definition{Name: "Flaky", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String},
	}}
	ctx := context.Background()
	if err := c.Automigrate(ctx, []*model.Definition{def}); err != nil {
		t.Fatal(err)
	}
	r, err := repository.NewModel(c, def)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Create(ctx, connector.Record{"title": "before"}); err != nil {
		t.Fatal(err)
	}

	p.stop()
	calls := map[string]func() error{
		"find":   func() error { _, err := r.Find(ctx, nil); return err },
		"create": func() error { _, err := r.Create(ctx, connector.Record{"title": "during"}); return err },
		"count":  func() error { _, err := r.Count(ctx, nil); return err },
		"ping":   func() error { return c.Ping(ctx) },
	}
	for name, call := range calls {
		err := call()
		var fe *fault.Error
		if !errors.As(err, &fe) || fe.Kind != fault.Unavailable {
			t.Fatalf("%s while the server is away: got %v; want a 503", name, err)
		}
		if !strings.Contains(fe.Message, "todoDS") || fe.Code != "DATASOURCE_UNAVAILABLE" {
			t.Errorf("%s: got (%q, %q); want DATASOURCE_UNAVAILABLE naming todoDS", name, fe.Code, fe.Message)
		}
		for _, frag := range []string{"server selection", "connection", "dial", "127.0.0.1", "EOF"} {
			if strings.Contains(fe.Message, frag) {
				t.Errorf("%s: message %q carries driver text %q", name, fe.Message, frag)
			}
		}
	}

	p.start()
	deadline := time.Now().Add(20 * time.Second)
	for {
		n, err := r.Count(ctx, nil)
		if err == nil {
			if n != 1 {
				t.Errorf("after recovery: %d instances; want 1", n)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery after the server came back: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := r.Create(ctx, connector.Record{"title": "after"}); err != nil {
		t.Errorf("Create after recovery: %v", err)
	}
}

// TestTimeout checks that an operation running past Config.Timeout is
// cut short with a 503 naming the data source, and that the connector
// serves the next call.
func TestTimeout(t *testing.T) {
	cfg := testDB(t)
	c := open(t, cfg)
	def := &model.Definition{Name: "Slow", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String},
	}}
	ctx := context.Background()
	if err := c.Automigrate(ctx, []*model.Definition{def}); err != nil {
		t.Fatal(err)
	}
	r, err := repository.NewModel(c, def)
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]connector.Record, 300)
	for i := range recs {
		recs[i] = connector.Record{"title": strings.Repeat("a", 200)}
	}
	if _, err := r.CreateAll(ctx, recs); err != nil {
		t.Fatal(err)
	}
	cfg.Name, cfg.Timeout = "slowDS", time.Microsecond
	short := open(t, cfg)
	rs, err := repository.NewModel(short, def)
	if err != nil {
		t.Fatal(err)
	}
	_, err = rs.Find(ctx, nil)
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Kind != fault.Unavailable || !strings.Contains(fe.Message, "slowDS") {
		t.Fatalf("Find past the timeout: got %v; want a 503 naming slowDS", err)
	}
	// A deadline of the caller's own wins over Config.Timeout.
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if got, err := rs.Find(dctx, nil); err != nil || len(got) != 300 {
		t.Errorf("Find with the caller's deadline: got (%d, %v); want 300", len(got), err)
	}
}
