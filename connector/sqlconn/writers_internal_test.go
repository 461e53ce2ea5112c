package sqlconn

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/loopback-go/lb/model"
)

func TestWriteTurn(t *testing.T) {
	def := &model.Definition{Name: "T", Properties: []*model.Property{{Name: "id", Type: model.Number, Integer: true, ID: 1}}}
	tb, err := NewTable("postgresql", def)
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewTable("postgresql", &model.Definition{Name: "U", Properties: def.Properties})
	if err != nil {
		t.Fatal(err)
	}
	c := &Connector{maxWriters: 2}
	ctx := context.Background()
	done1, err := c.writeTurn(ctx, tb)
	if err != nil {
		t.Fatal(err)
	}
	done2, err := c.writeTurn(ctx, tb)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := c.writeTurn(short, tb); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("third writer of a model with 2 turns: got %v; want to wait until the deadline", err)
	}
	doneOther, err := c.writeTurn(ctx, other)
	if err != nil {
		t.Fatalf("writer of another model: got %v; want a turn", err)
	}
	doneOther()
	done1()
	done3, err := c.writeTurn(ctx, tb)
	if err != nil {
		t.Fatalf("after a turn ended: got %v; want a turn", err)
	}
	done2()
	done3()
	unbounded := &Connector{}
	for range 5 {
		if _, err := unbounded.writeTurn(short, tb); err != nil {
			t.Fatalf("no bound: got %v; want a turn", err)
		}
	}
}
