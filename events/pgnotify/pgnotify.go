package pgnotify

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// MaxPayload is the largest NOTIFY payload sent, in bytes; PostgreSQL
// refuses 8000 and more. A change whose message is larger is sent without
// its instance, which receivers fetch by id.
const MaxPayload = 7900

// Config configures a [Relay].
type Config struct {
	// URL is the PostgreSQL connection URL of the listening connection;
	// required.
	URL string
	// DB sends the notifications (the postgres connector's DB()); required.
	DB *sql.DB
	// Channel is the NOTIFY channel; "" means "lb_changes". Instances that
	// share a channel share their changes.
	Channel string
	// Bus receives the changes of this instance (at once) and those of the
	// others (when their notification arrives); required.
	Bus *events.Bus
	// Models are the repositories whose changes are relayed: their
	// definitions type the ids and instances received, and they fetch the
	// instances too large to travel in a notification.
	Models []*repository.Model
	// Logger logs lost connections and undecodable notifications; nil
	// means slog.Default().
	Logger *slog.Logger
	// Outbox, when set, is where the changes come from (*outbox.Outbox,
	// which the repositories observe in place of the relay): the relay
	// LISTENs on the outbox's channel, on which each recorded change is
	// notified with its row id in the change's transaction, reads the new
	// rows and publishes them on Bus with Bus.PublishNumbered, their Seq
	// the row id: the same event id on every instance, in commit order
	// everywhere, this instance's changes included. After a lost
	// connection it reads what it missed, so no change is lost. DB,
	// Channel and Models are then unused.
	Outbox Outbox
}

// Outbox is the source of a relay fed by a transactional outbox
// (*outbox.Outbox implements it).
type Outbox interface {
	// Channel is the channel the outbox notifies each change's id on.
	Channel() string
	// Latest returns the greatest id recorded.
	Latest(ctx context.Context) (uint64, error)
	// Next returns at most limit changes with an id greater than after,
	// oldest first, their Seq set to the id.
	Next(ctx context.Context, after uint64, limit int) ([]events.Event, error)
}

// Relay carries change events between the instances of an app that share
// a PostgreSQL database, over LISTEN/NOTIFY: give it to the repositories
// in place of the bus (it is a [repository.ChangeObserver]); every change
// is published on this instance's bus at once and notified to the others,
// whose relays publish it on their buses. Notifications are sent after the
// commit, so a rolled-back change is never seen anywhere.
//
// NOTIFY is not durable: a change made while an instance's listening
// connection is down is not delivered to it (the relay reconnects); use
// the outbox where every change must arrive.
type Relay struct {
	cfg    Config
	origin string
	models map[string]*repository.Model
	log    *slog.Logger

	stop context.CancelFunc
	done chan struct{}
	last uint64 // outbox mode: the greatest id published; the run goroutine's
}

// message is a change as notified.
type message struct {
	Origin   string         `json:"o"`
	Model    string         `json:"m"`
	Kind     string         `json:"k"`
	ID       any            `json:"i"`
	Changed  []string       `json:"c,omitempty"`
	Instance map[string]any `json:"d,omitempty"`
	Fetch    bool           `json:"f,omitempty"`
}

// New starts a relay: it connects the listening connection (an error when
// it cannot) and listens until Close.
func New(ctx context.Context, cfg Config) (*Relay, error) {
	if cfg.URL == "" || cfg.Bus == nil || (cfg.DB == nil && cfg.Outbox == nil) {
		return nil, errors.New("pgnotify: Config needs URL, Bus, and DB or Outbox")
	}
	if cfg.Outbox != nil {
		cfg.Channel = cfg.Outbox.Channel()
	}
	if cfg.Channel == "" {
		cfg.Channel = "lb_changes"
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	r := &Relay{cfg: cfg, origin: hex.EncodeToString(b[:]), models: map[string]*repository.Model{},
		log: cfg.Logger, done: make(chan struct{})}
	if r.log == nil {
		r.log = slog.Default()
	}
	for _, m := range cfg.Models {
		r.models[m.Definition().Name] = m
	}
	conn, err := r.listen(ctx)
	if err != nil {
		return nil, err
	}
	if cfg.Outbox != nil {
		// Listening already: every change after Latest is notified.
		if r.last, err = cfg.Outbox.Latest(ctx); err != nil {
			conn.Close(ctx)
			return nil, fmt.Errorf("pgnotify: %w", err)
		}
	}
	lctx, stop := context.WithCancel(context.Background())
	r.stop = stop
	go r.run(lctx, conn)
	return r, nil
}

func (r *Relay) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, r.cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("pgnotify: connect: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{r.cfg.Channel}.Sanitize()); err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("pgnotify: listen: %w", err)
	}
	return conn, nil
}

// run receives notifications until ctx ends, reconnecting when the
// connection is lost.
func (r *Relay) run(ctx context.Context, conn *pgx.Conn) {
	defer close(r.done)
	backoff := 100 * time.Millisecond
	for {
		for conn != nil {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				conn.Close(context.Background())
				conn = nil
				if ctx.Err() != nil {
					return
				}
				r.log.Warn("pgnotify: listening connection lost", "error", err)
				break
			}
			backoff = 100 * time.Millisecond
			if r.cfg.Outbox != nil {
				r.fromOutbox(ctx, n.Payload)
			} else {
				r.receive(ctx, n.Payload)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
		c, err := r.listen(ctx)
		if err != nil {
			r.log.Warn("pgnotify: reconnect", "error", err)
			continue
		}
		conn = c
		if r.cfg.Outbox != nil {
			r.catchUp(ctx) // what was committed while not listening
		}
	}
}

// fromOutbox handles a notification of the outbox: the id of a committed
// change, published with those before it not published yet.
func (r *Relay) fromOutbox(ctx context.Context, payload string) {
	id, err := strconv.ParseUint(payload, 10, 64)
	if err != nil {
		r.log.Warn("pgnotify: undecodable outbox notification", "payload", payload)
		return
	}
	if id > r.last {
		r.catchUp(ctx)
	}
}

// catchUp publishes the outbox's changes after the last one published.
func (r *Relay) catchUp(ctx context.Context) {
	for {
		evs, err := r.cfg.Outbox.Next(ctx, r.last, 500)
		if err != nil {
			// The next notification or reconnection tries again.
			r.log.Warn("pgnotify: read the outbox", "error", err)
			return
		}
		if len(evs) == 0 {
			return
		}
		r.cfg.Bus.PublishNumbered(evs...)
		r.last = evs[len(evs)-1].Seq
		if len(evs) < 500 {
			return
		}
	}
}

// receive publishes a notification of another instance on the bus.
func (r *Relay) receive(ctx context.Context, payload string) {
	var msg message
	if err := json.Unmarshal([]byte(payload), &msg); err != nil {
		r.log.Warn("pgnotify: undecodable notification", "error", err)
		return
	}
	if msg.Origin == r.origin {
		return // published here already
	}
	ev := events.Event{Model: msg.Model, Kind: events.Kind(msg.Kind), ID: msg.ID, Changed: msg.Changed, Instance: msg.Instance}
	if m := r.models[msg.Model]; m != nil {
		def := m.Definition()
		ev.ID = idValue(def, msg.ID)
		if ev.Instance != nil {
			if err := model.NormalizeInPlace(def, ev.Instance); err != nil {
				r.log.Warn("pgnotify: instance of notification", "model", msg.Model, "error", err)
				return
			}
		}
		if msg.Fetch && ev.Kind != events.Deleted {
			rec, err := m.FindByID(ctx, ev.ID, nil)
			if err != nil {
				// Deleted since, or the database is down: the next change
				// will tell.
				r.log.Warn("pgnotify: fetch instance", "model", msg.Model, "id", ev.ID, "error", err)
				return
			}
			ev.Instance = rec
		}
	}
	r.cfg.Bus.Publish(ev)
}

// idValue types a JSON id as the model's id property.
func idValue(def *model.Definition, id any) any {
	f, ok := id.(float64)
	if !ok {
		return id
	}
	if ids := def.ID(); len(ids) == 1 && ids[0].Integer && f == math.Trunc(f) {
		return int64(f)
	}
	return f
}

// ObserveChanges publishes changes on this instance's bus and notifies the
// other instances; it implements [repository.ChangeObserver]. A relay fed
// by an outbox ignores it: the repositories observe the outbox, which
// notifies every change.
func (r *Relay) ObserveChanges(ctx context.Context, changes []repository.Change) {
	if r.cfg.Outbox != nil {
		return
	}
	r.cfg.Bus.ObserveChanges(ctx, changes)
	for _, c := range changes {
		if err := r.notify(ctx, c); err != nil {
			r.log.Warn("pgnotify: notify", "model", c.Model, "id", c.ID, "error", err)
		}
	}
}

func (r *Relay) notify(ctx context.Context, c repository.Change) error {
	msg := message{Origin: r.origin, Model: c.Model, Kind: string(c.Kind), ID: c.ID, Changed: c.Changed, Instance: c.Instance}
	b, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	if len(b) > MaxPayload {
		msg.Instance, msg.Fetch = nil, true
		if b, err = json.Marshal(msg); err != nil {
			return fmt.Errorf("encode: %w", err)
		}
	}
	// A context detached from the request's cancellation: the change is
	// committed and must be told.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := r.cfg.DB.ExecContext(ctx, "SELECT pg_notify($1, $2)", r.cfg.Channel, string(b)); err != nil {
		return fmt.Errorf("pg_notify: %w", err)
	}
	return nil
}

// Close stops listening.
func (r *Relay) Close() error {
	r.stop()
	<-r.done
	return nil
}

var _ repository.ChangeObserver = (*Relay)(nil)
