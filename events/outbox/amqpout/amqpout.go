package amqpout

import (
	"context"
	"errors"
	"fmt"
	"sync"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/loopback-go/lb/events/outbox"
)

// Publisher publishes outbox messages to a RabbitMQ exchange with
// publisher confirms: Publish returns once the broker confirmed the
// message. The routing key is "<Model>.<kind>" ("Todo.update"), the
// AMQP message id the event id, the content type application/json, and
// messages are persistent.
type Publisher struct {
	// Exchange is the exchange to publish to ("" is the default exchange,
	// where the routing key names a queue; then set RoutingKey).
	Exchange string
	// RoutingKey, when set, replaces "<Model>.<kind>".
	RoutingKey string

	mu sync.Mutex
	ch *amqp.Channel
}

// New returns a publisher on conn's new channel in confirm mode.
func New(conn *amqp.Connection, exchange string) (*Publisher, error) {
	ch, err := conn.Channel()
	if err != nil {
		return nil, fmt.Errorf("amqpout: channel: %w", err)
	}
	if err := ch.Confirm(false); err != nil {
		ch.Close()
		return nil, fmt.Errorf("amqpout: confirm mode: %w", err)
	}
	return &Publisher{Exchange: exchange, ch: ch}, nil
}

// Close closes the channel.
func (p *Publisher) Close() error { return p.ch.Close() }

// Publish implements outbox.Publisher.
func (p *Publisher) Publish(ctx context.Context, m outbox.Message) error {
	key := p.RoutingKey
	if key == "" {
		key = m.Model + "." + m.Kind
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	conf, err := p.ch.PublishWithDeferredConfirmWithContext(ctx, p.Exchange, key, true, false, amqp.Publishing{
		ContentType:  "application/json",
		DeliveryMode: amqp.Persistent,
		MessageId:    m.EventID,
		Body:         m.Payload,
	})
	if err != nil {
		return fmt.Errorf("amqpout: publish: %w", err)
	}
	ok, err := conf.WaitContext(ctx)
	if err != nil {
		return fmt.Errorf("amqpout: confirm: %w", err)
	}
	if !ok {
		return errors.New("amqpout: the broker refused the message (nack)")
	}
	return nil
}

var _ outbox.Publisher = (*Publisher)(nil)
