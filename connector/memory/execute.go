package memory

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
)

// Execute runs one of the memory connector's administrative commands. The
// command is a verb (case-insensitive); its operands are args, never
// parsed out of the command text:
//
//	ping                  answers nothing; fails once the connector is closed
//	models                one row per model: {"name", "count", "nextId"}
//	count <model>         one row: {"count": n}
//	truncate <model>      deletes every instance (the id counter is kept);
//	                      RowsAffected is how many
//	flush                 waits until every change is on disk (fails,
//	                      as the writes do, when they were undone)
//
// An unknown command or a wrong number of operands is a fault.BadRequest.
func (c *Connector) Execute(ctx context.Context, command string, args ...any) (*connector.Result, error) {
	verb := strings.ToLower(strings.TrimSpace(command))
	want := map[string]int{"ping": 0, "models": 0, "count": 1, "truncate": 1, "flush": 0}
	n, ok := want[verb]
	if !ok {
		return nil, fault.New(fault.BadRequest, "INVALID_COMMAND",
			fmt.Sprintf("memory: unknown command %q (ping, models, count, truncate, flush)", command))
	}
	if len(args) != n {
		return nil, fault.New(fault.BadRequest, "INVALID_COMMAND",
			fmt.Sprintf("memory: %s takes %d operand(s), got %d", verb, n, len(args)))
	}
	var name string
	if n == 1 {
		if name, ok = args[0].(string); !ok {
			return nil, fault.New(fault.BadRequest, "INVALID_COMMAND", fmt.Sprintf("memory: %s takes a model name", verb))
		}
	}
	switch verb {
	case "truncate":
		res := &connector.Result{}
		err := c.write(ctx, func(tx *memTx) error {
			t := c.tables[name]
			if t == nil {
				return nil
			}
			if t.def == nil {
				// Not adopted yet: the instances are still as loaded. An
				// empty table with the same counter replaces the table.
				res.RowsAffected = int64(len(t.raw))
				if len(t.raw) > 0 {
					nt := newTable(name)
					nt.next = t.next
					c.setTable(tx, name, nt)
				}
				return nil
			}
			res.RowsAffected = int64(t.idx.len())
			c.delAll(tx, t)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return res, nil
	case "flush":
		if err := c.sync(); err != nil {
			return nil, err
		}
		return &connector.Result{}, nil
	}
	res := &connector.Result{}
	err := c.read(ctx, func() error {
		switch verb {
		case "models":
			res.Rows = []connector.Record{}
			for _, name := range slices.Sorted(maps.Keys(c.tables)) {
				t := c.tables[name]
				res.Rows = append(res.Rows, connector.Record{"name": name, "count": t.count(), "nextId": t.next})
			}
		case "count":
			var count int64
			if t := c.tables[name]; t != nil {
				count = t.count()
			}
			res.Rows = []connector.Record{{"count": count}}
		}
		return nil // ping: nothing
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// count is the number of instances of t, adopted or not.
func (t *table) count() int64 {
	t.adoptMu.Lock()
	defer t.adoptMu.Unlock()
	if t.def == nil {
		return int64(len(t.raw))
	}
	return int64(t.idx.len())
}
