package natsjs_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/events/outbox"
	"github.com/loopback-go/lb/events/outbox/natsjs"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

type Note struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Title string `json:"title" required:"true"`
}

func env(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// killing publishes through p, and fails (as a killed relay stops) after
// n messages: their rows stay unsent, so the next relay sends them again.
type killing struct {
	p    outbox.Publisher
	n    int
	kill context.CancelFunc
}

func (k *killing) Publish(ctx context.Context, m outbox.Message) error {
	if k.n == 0 {
		k.kill()
		return ctx.Err()
	}
	k.n--
	return k.p.Publish(ctx, m)
}

func TestRelayKilledMidStream(t *testing.T) {
	ctx := context.Background()
	pgURL := env("LB_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	schema := "lboutbox_" + sqltest.Suffix()
	conn, err := postgres.New(postgres.Config{URL: pgURL, Schema: schema})
	if errors.Is(err, fault.Unavailable) {
		sqltest.SkipOrFail(t, "PostgreSQL is not available at "+pgURL+": "+err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	defer conn.DB().ExecContext(ctx, "DROP SCHEMA IF EXISTS "+postgres.Dialect{}.Quote(schema)+" CASCADE")
	natsURL := env("LB_TEST_NATS_URL", nats.DefaultURL)
	nc, err := nats.Connect(natsURL, nats.Timeout(2*time.Second))
	if err != nil {
		sqltest.SkipOrFail(t, "NATS is not available at "+natsURL+": "+err.Error())
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	stream := "LBOUTBOX_" + schema[len("lboutbox_"):]
	prefix := "lbtest." + schema
	st, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: stream, Subjects: []string{prefix + ".>"}, Duplicates: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer js.DeleteStream(ctx, stream)

	notes := repository.MustNew[Note, int64](conn)
	if err := conn.Autoupdate(ctx, []*model.Definition{notes.Definition()}); err != nil {
		t.Fatal(err)
	}
	ob, err := outbox.New(ctx, outbox.Config{Conn: conn})
	if err != nil {
		t.Fatal(err)
	}
	notes.ObserveChanges(ob)

	// 20 changes, and one rolled back, which must never be published.
	for i := range 20 {
		if _, err := notes.Create(ctx, &Note{Title: "n" + string(rune('a'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	boom := errors.New("boom")
	err = repository.Transact(ctx, conn, connector.TxOptions{}, func(ctx context.Context) error {
		notes.Create(ctx, &Note{Title: "lost"})
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}

	pub := &natsjs.Publisher{JS: js, Prefix: prefix}
	// The first relay is killed after publishing 7 messages of its batch of 10.
	rctx, kill := context.WithCancel(ctx)
	err = ob.Relay(rctx, &killing{p: pub, n: 7, kill: kill}, outbox.RelayOptions{Batch: 10})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("killed relay returned %v", err)
	}
	if n, _ := ob.Pending(ctx); n != 20 {
		t.Fatalf("after the kill %d pending, want 20 (the batch was not marked sent)", n)
	}
	// Restarted, it sends everything.
	for {
		n, err := ob.RelayOnce(ctx, pub, 10)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	if n, _ := ob.Pending(ctx); n != 0 {
		t.Fatalf("%d still pending", n)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 20 {
		t.Fatalf("stream holds %d messages, want 20 (7 republished ones de-duplicated)", info.State.Msgs)
	}
	// A consumer sees every change once, in order, with its event id.
	cons, err := st.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{AckPolicy: jetstream.AckExplicitPolicy})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(20, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	i := 0
	for m := range batch.Messages() {
		var p struct {
			EventID  string         `json:"eventId"`
			Kind     string         `json:"kind"`
			Instance map[string]any `json:"instance"`
		}
		if err := json.Unmarshal(m.Data(), &p); err != nil {
			t.Fatal(err)
		}
		if p.EventID == "" || seen[p.EventID] || m.Headers().Get("Nats-Msg-Id") != p.EventID {
			t.Fatalf("message %d: event id %q (dup %v, header %q)", i, p.EventID, seen[p.EventID], m.Headers().Get("Nats-Msg-Id"))
		}
		seen[p.EventID] = true
		if want := "n" + string(rune('a'+i)); p.Instance["title"] != want || p.Kind != "create" || m.Subject() != prefix+".Note.create" {
			t.Fatalf("message %d: %s %v on %s, want %s", i, p.Kind, p.Instance["title"], m.Subject(), want)
		}
		m.Ack()
		i++
	}
	if i != 20 {
		t.Fatalf("consumed %d messages, want 20", i)
	}

	// A relay that LISTENs (Config.URL) and would poll once an hour: each
	// committed change reaches the stream at once, woken by the NOTIFY the
	// outbox sends in the change's transaction.
	woken, err := outbox.New(ctx, outbox.Config{Conn: conn, URL: pgURL})
	if err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- woken.Relay(wctx, pub, outbox.RelayOptions{Poll: time.Hour}) }()
	defer func() {
		stop()
		<-done
	}()
	time.Sleep(300 * time.Millisecond) // its first pass and LISTEN
	for i := range 3 {
		start := time.Now()
		if _, err := notes.Create(ctx, &Note{Title: "live"}); err != nil {
			t.Fatal(err)
		}
		batch, err := cons.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for m := range batch.Messages() {
			var p struct {
				EventID string `json:"eventId"`
			}
			if err := json.Unmarshal(m.Data(), &p); err != nil || seen[p.EventID] {
				t.Fatalf("woken relay published %s", m.Data())
			}
			m.Ack()
			got++
		}
		if got != 1 {
			t.Fatalf("change %d not in JetStream within 2s with a 1h poll: the relay was not woken", i)
		}
		t.Logf("change %d in JetStream %v after the write returned", i, time.Since(start))
	}
}
