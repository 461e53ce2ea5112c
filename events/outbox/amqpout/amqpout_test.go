package amqpout_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/events/outbox"
	"github.com/loopback-go/lb/events/outbox/amqpout"
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

// TestRelayToRabbitMQ kills a relay mid-batch and restarts it: every
// change reaches the queue, the republished ones as duplicates that a
// consumer drops by message id.
func TestRelayToRabbitMQ(t *testing.T) {
	ctx := context.Background()
	pgURL := env("LB_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	schema := "lbamqp_" + sqltest.Suffix()
	conn, err := postgres.New(postgres.Config{URL: pgURL, Schema: schema})
	if errors.Is(err, fault.Unavailable) {
		sqltest.SkipOrFail(t, "PostgreSQL is not available at "+pgURL+": "+err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	defer conn.DB().ExecContext(ctx, "DROP SCHEMA IF EXISTS "+postgres.Dialect{}.Quote(schema)+" CASCADE")
	amqpURL := env("LB_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
	ac, err := amqp.Dial(amqpURL)
	if err != nil {
		sqltest.SkipOrFail(t, "RabbitMQ is not available at "+amqpURL+": "+err.Error())
	}
	defer ac.Close()
	ch, err := ac.Channel()
	if err != nil {
		t.Fatal(err)
	}
	q, err := ch.QueueDeclare(schema, false, true, true, false, nil) // auto-delete, exclusive
	if err != nil {
		t.Fatal(err)
	}
	pub, err := amqpout.New(ac, "")
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	pub.RoutingKey = q.Name

	notes := repository.MustNew[Note, int64](conn)
	if err := conn.Autoupdate(ctx, []*model.Definition{notes.Definition()}); err != nil {
		t.Fatal(err)
	}
	ob, err := outbox.New(ctx, outbox.Config{Conn: conn})
	if err != nil {
		t.Fatal(err)
	}
	notes.ObserveChanges(ob)
	for range 12 {
		if _, err := notes.Create(ctx, &Note{Title: "n"}); err != nil {
			t.Fatal(err)
		}
	}
	rctx, kill := context.WithCancel(ctx)
	if err := ob.Relay(rctx, &killing{p: pub, n: 5, kill: kill}, outbox.RelayOptions{Batch: 8}); !errors.Is(err, context.Canceled) {
		t.Fatalf("killed relay: %v", err)
	}
	for {
		n, err := ob.RelayOnce(ctx, pub, 8)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	deliveries, err := ch.Consume(q.Name, "", true, true, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	total := 0
	for total < 17 { // 12 changes + the 5 published before the kill
		select {
		case d := <-deliveries:
			var p struct {
				EventID string `json:"eventId"`
			}
			if err := json.Unmarshal(d.Body, &p); err != nil || p.EventID != d.MessageId || d.MessageId == "" {
				t.Fatalf("message id %q, payload %s", d.MessageId, d.Body)
			}
			seen[d.MessageId] = true
			total++
		case <-time.After(3 * time.Second):
			t.Fatalf("received %d messages (%d distinct), want 17 (12 distinct)", total, len(seen))
		}
	}
	if len(seen) != 12 {
		t.Fatalf("%d distinct events, want 12", len(seen))
	}

	// A relay that LISTENs (Config.URL) and would poll once an hour: each
	// committed change reaches the queue at once, woken by the NOTIFY the
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
		select {
		case d := <-deliveries:
			if seen[d.MessageId] || !json.Valid(d.Body) {
				t.Fatalf("woken relay delivered %q %s", d.MessageId, d.Body)
			}
			t.Logf("change %d in RabbitMQ %v after the write returned", i, time.Since(start))
		case <-time.After(2 * time.Second):
			t.Fatalf("change %d not in RabbitMQ within 2s with a 1h poll: the relay was not woken", i)
		}
	}
}
