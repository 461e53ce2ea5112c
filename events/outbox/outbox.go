package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/google/uuid"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/repository"
)

// Config configures an [Outbox].
type Config struct {
	// Conn is the PostgreSQL connector the models are written with; the
	// outbox table lives there (in its schema). Required.
	Conn connector.Connector
	// Table is the outbox table; "" means "lb_outbox". It is a plain SQL
	// identifier (letters, digits, underscores).
	Table string
	// Bus, when set, also receives every change after its commit (the
	// outbox is then the repositories' only observer).
	Bus *events.Bus
}

// Message is one change as the relay hands it to a [Publisher].
type Message struct {
	// EventID is the change's unique id (a UUID): consumers de-duplicate
	// by it, since delivery is at least once.
	EventID string
	// Seq orders the messages of one outbox.
	Seq int64
	// Model and Kind are the change's ("Todo", "update").
	Model, Kind string
	// Payload is the change as JSON: {"eventId","model","kind","id",
	// "instance","changed","time"}.
	Payload []byte
}

// Publisher delivers messages to a broker. Publish returns once the
// broker has the message (acknowledged); the relay marks a message sent
// only after that.
type Publisher interface {
	Publish(ctx context.Context, m Message) error
}

// Outbox records every change of the repositories it observes in the
// outbox table, in the transaction of the write (it is a
// [repository.ChangeRecorder]); [Outbox.Relay] publishes the recorded
// changes and marks them sent.
type Outbox struct {
	conn  connector.Connector
	table string
	bus   *events.Bus
	now   func() time.Time
}

var ident = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// New returns the outbox of cfg, creating its table when missing.
func New(ctx context.Context, cfg Config) (*Outbox, error) {
	if cfg.Conn == nil {
		return nil, errors.New("outbox: Config.Conn is required")
	}
	if cfg.Table == "" {
		cfg.Table = "lb_outbox"
	}
	if !ident.MatchString(cfg.Table) {
		return nil, fmt.Errorf("outbox: table name %q is not a plain identifier", cfg.Table)
	}
	o := &Outbox{conn: cfg.Conn, table: `"` + cfg.Table + `"`, bus: cfg.Bus, now: time.Now}
	_, err := repository.Execute(ctx, o.conn, `CREATE TABLE IF NOT EXISTS `+o.table+` (
		seq bigserial PRIMARY KEY,
		event_id text NOT NULL UNIQUE,
		model text NOT NULL,
		kind text NOT NULL,
		payload text NOT NULL,
		created_at timestamptz NOT NULL DEFAULT now(),
		sent_at timestamptz)`)
	if err != nil {
		return nil, fmt.Errorf("outbox: create table: %w", err)
	}
	_, err = repository.Execute(ctx, o.conn, `CREATE INDEX IF NOT EXISTS `+`"`+cfg.Table+`_unsent" ON `+o.table+` (seq) WHERE sent_at IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("outbox: create index: %w", err)
	}
	return o, nil
}

type payload struct {
	EventID  string         `json:"eventId"`
	Model    string         `json:"model"`
	Kind     string         `json:"kind"`
	ID       any            `json:"id"`
	Instance map[string]any `json:"instance"`
	Changed  []string       `json:"changed"`
	Time     string         `json:"time"`
}

// RecordChange writes c to the outbox table with ctx, so in the write's
// transaction; it implements [repository.ChangeRecorder].
func (o *Outbox) RecordChange(ctx context.Context, c repository.Change) error {
	p := payload{EventID: uuid.NewString(), Model: c.Model, Kind: string(c.Kind), ID: c.ID, Instance: c.Instance,
		Changed: c.Changed, Time: o.now().UTC().Format("2006-01-02T15:04:05.000Z07:00")}
	if p.Changed == nil {
		p.Changed = []string{}
	}
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("outbox: encode: %w", err)
	}
	_, err = repository.Execute(ctx, o.conn, `INSERT INTO `+o.table+` (event_id, model, kind, payload) VALUES ($1, $2, $3, $4)`,
		p.EventID, p.Model, p.Kind, string(b))
	if err != nil {
		return fmt.Errorf("outbox: insert: %w", err)
	}
	return nil
}

// ObserveChanges publishes committed changes on the bus, if any; it
// implements [repository.ChangeObserver].
func (o *Outbox) ObserveChanges(ctx context.Context, changes []repository.Change) {
	if o.bus != nil {
		o.bus.ObserveChanges(ctx, changes)
	}
}

// RelayOptions tune [Outbox.Relay].
type RelayOptions struct {
	// Batch is how many messages one transaction publishes; 0 means 100.
	Batch int
	// Poll is the wait when the outbox is empty; 0 means 200ms.
	Poll time.Duration
}

// Relay publishes the unsent changes in order with pub and marks them
// sent, until ctx ends (its error is then returned) or a step fails.
// Each batch is taken under FOR UPDATE SKIP LOCKED in a transaction and
// marked sent in it only after pub acknowledged every message, so several
// relays may run, and a relay stopped at any point (even killed) leaves
// its batch unsent: the next relay publishes it again. Delivery is at
// least once; consumers de-duplicate by Message.EventID (JetStream does
// it for them, see events/outbox/natsjs).
func (o *Outbox) Relay(ctx context.Context, pub Publisher, opts RelayOptions) error {
	if opts.Batch <= 0 {
		opts.Batch = 100
	}
	if opts.Poll <= 0 {
		opts.Poll = 200 * time.Millisecond
	}
	for {
		n, err := o.RelayOnce(ctx, pub, opts.Batch)
		if err != nil {
			return err
		}
		if n == 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(opts.Poll):
			}
		}
	}
}

// RelayOnce publishes at most batch unsent changes and marks them sent; it
// returns how many.
func (o *Outbox) RelayOnce(ctx context.Context, pub Publisher, batch int) (int, error) {
	n := 0
	err := repository.Transact(ctx, o.conn, connector.TxOptions{}, func(ctx context.Context) error {
		res, err := repository.Execute(ctx, o.conn, `SELECT seq, event_id, model, kind, payload FROM `+o.table+
			` WHERE sent_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`, batch)
		if err != nil {
			return fmt.Errorf("outbox: select: %w", err)
		}
		if len(res.Rows) == 0 {
			return nil
		}
		seqs := make([]int64, 0, len(res.Rows))
		for _, r := range res.Rows {
			m := Message{EventID: fmt.Sprint(r["event_id"]), Model: fmt.Sprint(r["model"]), Kind: fmt.Sprint(r["kind"]),
				Payload: []byte(fmt.Sprint(r["payload"]))}
			m.Seq, _ = r["seq"].(int64)
			if err := pub.Publish(ctx, m); err != nil {
				return fmt.Errorf("outbox: publish %s: %w", m.EventID, err)
			}
			seqs = append(seqs, m.Seq)
		}
		if _, err := repository.Execute(ctx, o.conn, `UPDATE `+o.table+` SET sent_at = now() WHERE seq = ANY($1)`, seqs); err != nil {
			return fmt.Errorf("outbox: mark sent: %w", err)
		}
		n = len(seqs)
		return nil
	})
	return n, err
}

// Pending returns how many changes are not sent yet.
func (o *Outbox) Pending(ctx context.Context) (int64, error) {
	res, err := repository.Execute(ctx, o.conn, `SELECT count(*) AS n FROM `+o.table+` WHERE sent_at IS NULL`)
	if err != nil {
		return 0, fmt.Errorf("outbox: count: %w", err)
	}
	n, _ := res.Rows[0]["n"].(int64)
	return n, nil
}

var _ repository.ChangeRecorder = (*Outbox)(nil)
