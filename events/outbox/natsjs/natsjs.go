package natsjs

import (
	"context"
	"fmt"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/loopback-go/lb/events/outbox"
)

// Publisher publishes outbox messages to NATS JetStream on the subject
// Prefix + "." + model + "." + kind ("lb.changes.Todo.update"), with the
// event id as the JetStream message id (Nats-Msg-Id): within the stream's
// duplicate window, a message the relay publishes again after a crash is
// stored once.
type Publisher struct {
	// JS is the JetStream context (jetstream.New(nc)).
	JS jetstream.JetStream
	// Prefix starts every subject; "" means "lb.changes".
	Prefix string
}

// Subject returns the subject of a message.
func (p *Publisher) Subject(m outbox.Message) string {
	prefix := p.Prefix
	if prefix == "" {
		prefix = "lb.changes"
	}
	return prefix + "." + token(m.Model) + "." + token(m.Kind)
}

// token keeps a subject token free of separators and wildcards.
func token(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '*' || r == '>' || r <= ' ' {
			return '_'
		}
		return r
	}, s)
}

// Publish implements outbox.Publisher: it returns once JetStream stored
// the message.
func (p *Publisher) Publish(ctx context.Context, m outbox.Message) error {
	if _, err := p.JS.Publish(ctx, p.Subject(m), m.Payload, jetstream.WithMsgID(m.EventID)); err != nil {
		return fmt.Errorf("natsjs: publish: %w", err)
	}
	return nil
}

var _ outbox.Publisher = (*Publisher)(nil)
