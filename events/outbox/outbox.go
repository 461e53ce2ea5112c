package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"regexp"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/model"
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
	// Bus, when set, also receives every change after its commit, numbered
	// by the bus (the outbox is then the repositories' only observer).
	// Across instances leave it unset and give the outbox to
	// pgnotify.Config.Outbox, which publishes each change with its row id.
	Bus *events.Bus
	// URL is the PostgreSQL connection URL of the relay's listening
	// connection: with it, [Outbox.Relay] LISTENs on Channel and publishes
	// right after each commit; without it, it only polls.
	URL string
	// Channel is the NOTIFY channel of the outbox: every recorded change
	// notifies it, in the change's transaction, with its row id. ""
	// means "lb_outbox:" followed by the table's schema and name.
	Channel string
	// Retain is how long sent rows are kept for the change streams'
	// Last-Event-ID resume ([Outbox.Since]) before [Outbox.Prune] (which
	// the relay runs every minute) deletes them; 0 means 24 hours.
	Retain time.Duration
	// Models type the ids and instances that [Outbox.Since] reads back
	// (dates as time.Time, integers as int64); a model not listed keeps
	// the JSON values.
	Models []*model.Definition
	// Logger logs the relay's lost listening connections; nil means
	// slog.Default().
	Logger *slog.Logger
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
	conn    connector.Connector
	table   string
	bus     *events.Bus
	now     func() time.Time
	url     string
	channel string
	lockKey string
	retain  time.Duration
	defs    map[string]*model.Definition
	log     *slog.Logger
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
	o := &Outbox{conn: cfg.Conn, table: `"` + cfg.Table + `"`, bus: cfg.Bus, now: time.Now, url: cfg.URL,
		retain: cfg.Retain, defs: map[string]*model.Definition{}, log: cfg.Logger}
	if o.retain <= 0 {
		o.retain = 24 * time.Hour
	}
	if o.log == nil {
		o.log = slog.Default()
	}
	for _, d := range cfg.Models {
		o.defs[d.Name] = d
	}
	res, err := repository.Execute(ctx, o.conn, `SELECT current_schema() AS s`)
	if err != nil {
		return nil, fmt.Errorf("outbox: current schema: %w", err)
	}
	schema, _ := res.Rows[0]["s"].(string)
	o.lockKey = "lb_outbox:" + schema + "." + cfg.Table
	o.channel = cfg.Channel
	if o.channel == "" {
		o.channel = o.lockKey
	}
	if len(o.channel) > 63 { // PostgreSQL's identifier limit
		return nil, fmt.Errorf("outbox: channel %q is longer than 63 bytes: set Config.Channel", o.channel)
	}
	// Instances starting together would race CREATE TABLE IF NOT EXISTS
	// (a unique violation in PostgreSQL's catalog): one at a time.
	err = repository.Transact(ctx, o.conn, connector.TxOptions{}, func(ctx context.Context) error {
		if _, err := repository.Execute(ctx, o.conn, `SELECT pg_advisory_xact_lock(hashtext($1)) AS x`, o.lockKey); err != nil {
			return fmt.Errorf("outbox: lock: %w", err)
		}
		_, err := repository.Execute(ctx, o.conn, `CREATE TABLE IF NOT EXISTS `+o.table+` (
		seq bigserial PRIMARY KEY,
		event_id text NOT NULL UNIQUE,
		model text NOT NULL,
		kind text NOT NULL,
		payload text NOT NULL,
		created_at timestamptz NOT NULL DEFAULT now(),
		sent_at timestamptz)`)
		if err != nil {
			return fmt.Errorf("outbox: create table: %w", err)
		}
		_, err = repository.Execute(ctx, o.conn, `CREATE INDEX IF NOT EXISTS `+`"`+cfg.Table+`_unsent" ON `+o.table+` (seq) WHERE sent_at IS NULL`)
		if err != nil {
			return fmt.Errorf("outbox: create index: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
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
	// The transaction-scoped advisory lock, taken before the row's id is
	// drawn and held until the commit, makes ids follow commit order: a
	// reader that sees id n sees every id below n, so resuming after an
	// id never skips a change committed later with a smaller one. The
	// notification (delivered at commit, in commit order) wakes the
	// relays and carries the id to pgnotify.
	_, err = repository.Execute(ctx, o.conn, `WITH l AS (SELECT pg_advisory_xact_lock(hashtext($5)) AS x),
		ins AS (INSERT INTO `+o.table+` (event_id, model, kind, payload) SELECT $1, $2, $3, $4 FROM l RETURNING seq)
		SELECT pg_notify($6, seq::text) FROM ins`,
		p.EventID, p.Model, p.Kind, string(b), o.lockKey, o.channel)
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

// Channel returns the outbox's NOTIFY channel (see [Config].Channel).
func (o *Outbox) Channel() string { return o.channel }

// Since returns at most limit changes with a row id greater than after,
// oldest first, of the given models (all when empty), as events whose Seq
// is the row id, sent or not; it implements [events.History], so change
// streams replay from it. It returns [events.ErrExpired] when after is
// not 0 and its row is gone (pruned, older than Config.Retain).
func (o *Outbox) Since(ctx context.Context, after uint64, models []string, limit int) ([]events.Event, error) {
	if after > math.MaxInt64 {
		return nil, events.ErrExpired
	}
	if after > 0 {
		res, err := repository.Execute(ctx, o.conn, `SELECT EXISTS (SELECT 1 FROM `+o.table+` WHERE seq = $1) AS ok`, int64(after))
		if err != nil {
			return nil, fmt.Errorf("outbox: since: %w", err)
		}
		if ok, _ := res.Rows[0]["ok"].(bool); !ok {
			return nil, events.ErrExpired
		}
	}
	return o.next(ctx, after, models, limit)
}

// Next returns at most limit changes with a row id greater than after,
// oldest first, as events whose Seq is the row id, without the check of
// [Outbox.Since]: pgnotify reads the new changes with it.
func (o *Outbox) Next(ctx context.Context, after uint64, limit int) ([]events.Event, error) {
	if after > math.MaxInt64 {
		return nil, nil
	}
	return o.next(ctx, after, nil, limit)
}

func (o *Outbox) next(ctx context.Context, after uint64, models []string, limit int) ([]events.Event, error) {
	q := `SELECT seq, payload FROM ` + o.table + ` WHERE seq > $1`
	args := []any{int64(after), limit}
	if len(models) > 0 {
		q += ` AND model = ANY($3)`
		args = append(args, models)
	}
	res, err := repository.Execute(ctx, o.conn, q+` ORDER BY seq LIMIT $2`, args...)
	if err != nil {
		return nil, fmt.Errorf("outbox: since: %w", err)
	}
	evs := make([]events.Event, 0, len(res.Rows))
	for _, r := range res.Rows {
		seq, _ := r["seq"].(int64)
		text, _ := r["payload"].(string)
		ev, err := o.decode(uint64(seq), text)
		if err != nil {
			return nil, err
		}
		evs = append(evs, ev)
	}
	return evs, nil
}

// decode turns a payload back into an event, typed by its model's
// definition when known.
func (o *Outbox) decode(seq uint64, text string) (events.Event, error) {
	var p payload
	if err := json.Unmarshal([]byte(text), &p); err != nil {
		return events.Event{}, fmt.Errorf("outbox: row %d: %w", seq, err)
	}
	ev := events.Event{Seq: seq, Model: p.Model, Kind: events.Kind(p.Kind), ID: p.ID, Instance: p.Instance, Changed: p.Changed}
	if len(ev.Changed) == 0 {
		ev.Changed = nil
	}
	ev.Time, _ = time.Parse(time.RFC3339Nano, p.Time)
	if def := o.defs[p.Model]; def != nil {
		if ids := def.ID(); len(ids) == 1 {
			m := map[string]any{ids[0].Name: p.ID}
			if model.NormalizeInPlace(def, m) == nil {
				ev.ID = m[ids[0].Name]
			}
		}
		if ev.Instance != nil {
			if err := model.NormalizeInPlace(def, ev.Instance); err != nil {
				return events.Event{}, fmt.Errorf("outbox: row %d: %w", seq, err)
			}
		}
	}
	return ev, nil
}

// Latest returns the greatest row id, 0 for an empty outbox.
func (o *Outbox) Latest(ctx context.Context) (uint64, error) {
	res, err := repository.Execute(ctx, o.conn, `SELECT coalesce(max(seq), 0) AS n FROM `+o.table)
	if err != nil {
		return 0, fmt.Errorf("outbox: latest: %w", err)
	}
	n, _ := res.Rows[0]["n"].(int64)
	return uint64(n), nil
}

// Prune deletes the sent rows older than Config.Retain and returns how
// many; unsent rows are kept until sent.
func (o *Outbox) Prune(ctx context.Context) (int64, error) {
	res, err := repository.Execute(ctx, o.conn, `DELETE FROM `+o.table+
		` WHERE sent_at IS NOT NULL AND created_at < now() - make_interval(secs => $1)`, o.retain.Seconds())
	if err != nil {
		return 0, fmt.Errorf("outbox: prune: %w", err)
	}
	return res.RowsAffected, nil
}

// Nowhere is a [Publisher] that accepts every message: the relay of an
// outbox kept only as the change streams' history (no broker) marks the
// rows sent with it, so that Prune deletes them after Config.Retain.
var Nowhere Publisher = nowhere{}

type nowhere struct{}

func (nowhere) Publish(context.Context, Message) error { return nil }

// RelayOptions tune [Outbox.Relay].
type RelayOptions struct {
	// Batch is how many messages one transaction publishes; 0 means 100.
	Batch int
	// Poll is the wait when the outbox is empty; 0 means 200ms. With
	// Config.URL, the relay is woken at each commit and polling is only
	// the fallback (a lost connection, a missed notification): a long
	// interval (a minute) is then fine.
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
	ctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer stop()
	wake := make(chan struct{}, 1)
	if o.url != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o.listen(ctx, wake)
		}()
	}
	var pruned time.Time
	poll := time.NewTimer(opts.Poll)
	defer poll.Stop()
	for {
		if time.Since(pruned) >= time.Minute {
			if _, err := o.Prune(ctx); err != nil {
				return cmpErr(ctx.Err(), err)
			}
			pruned = time.Now()
		}
		n, err := o.RelayOnce(ctx, pub, opts.Batch)
		if err != nil {
			// Stopped mid-step, the driver may say "bad connection":
			// the cause is the context's end.
			return cmpErr(ctx.Err(), err)
		}
		if n == 0 {
			poll.Reset(opts.Poll)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-poll.C:
			case <-wake:
			}
		}
	}
}

// cmpErr returns the first error that is not nil.
func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// listen LISTENs on the outbox's channel and signals wake at each
// notification (and at each reconnection, for those it may have missed),
// until ctx ends.
func (o *Outbox) listen(ctx context.Context, wake chan<- struct{}) {
	signal := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	backoff := 100 * time.Millisecond
	for first := true; ctx.Err() == nil; first = false {
		if !first {
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 5*time.Second)
		}
		conn, err := pgx.Connect(ctx, o.url)
		if err != nil {
			if ctx.Err() == nil {
				o.log.Warn("outbox: relay listening connection", "error", err)
			}
			continue
		}
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{o.channel}.Sanitize()); err != nil {
			conn.Close(context.Background())
			if ctx.Err() == nil {
				o.log.Warn("outbox: listen", "error", err)
			}
			continue
		}
		signal() // what was committed while not listening
		for {
			if _, err := conn.WaitForNotification(ctx); err != nil {
				if ctx.Err() == nil {
					o.log.Warn("outbox: relay listening connection lost", "error", err)
				}
				break
			}
			backoff = 100 * time.Millisecond
			signal()
		}
		conn.Close(context.Background())
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
