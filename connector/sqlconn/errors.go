package sqlconn

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
)

// unavailable classifies err as a connectivity failure (fault.Unavailable)
// using only the standard library: refused or reset connections, network
// timeouts, broken connections. It returns false for other errors.
func unavailable(err error) bool {
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe)
}

// mapError turns a database error of the statement step (for example
// "insert Todo") into a fault kind. Errors that already carry a kind, and
// cancellations, are returned wrapped as they are.
func (c *Connector) mapError(step string, t *Table, err error) error {
	if err == nil {
		return nil
	}
	var fe *fault.Error
	if errors.As(err, &fe) || errors.Is(err, context.Canceled) || errors.Is(err, connector.ErrTxDone) {
		return fmt.Errorf("%s: %w", step, err)
	}
	if errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("%s: %w", step, connector.ErrTxDone)
	}
	cl, ok := c.d.ClassifyError(err)
	if !ok {
		if !unavailable(err) {
			return fmt.Errorf("%s: %w", step, err)
		}
		cl = Classified{Kind: fault.Unavailable}
	}
	kind, column := cl.Kind, cl.Column
	prop := ""
	if t != nil {
		prop = t.propertyOf(column)
	}
	switch kind {
	case fault.Unavailable:
		return &fault.Error{Kind: fault.Unavailable, Code: "DATASOURCE_UNAVAILABLE",
			Message: fmt.Sprintf("datasource %s (%s) is unavailable: %s: %v", c.name, c.d.Name(), step, err), Err: err}
	case fault.Conflict:
		if cl.Violation == ForeignKeyViolation {
			return &fault.Error{Kind: fault.Conflict, Code: "FOREIGN_KEY_VIOLATION",
				Message: fmt.Sprintf("%s: foreign key constraint violated", step), Err: err}
		}
		if t != nil && prop != "" {
			d := connector.DuplicateError(t.Def, prop)
			if de, ok := d.(*fault.Error); ok {
				cp := *de
				cp.Err = err
				return &cp
			}
			return d
		}
		return &fault.Error{Kind: fault.Conflict, Message: fmt.Sprintf("%s: %v", step, err), Err: err}
	case fault.Invalid:
		model := ""
		if t != nil {
			model = t.Def.Name
		}
		msg := fmt.Sprintf("The `%s` instance is not valid: %v", model, err)
		if prop != "" && cl.Violation == NotNullViolation {
			msg = fmt.Sprintf("The `%s` instance is not valid. Details: `%s` can't be null.", model, prop)
		}
		return &fault.Error{Kind: fault.Invalid, Name: "ValidationError", Message: msg, Err: err}
	}
	return &fault.Error{Kind: kind, Message: fmt.Sprintf("%s: %v", step, err), Err: err}
}

// propertyOf returns the property named by an engine's error: a column
// name, an index name, or PRIMARY for the primary key.
func (t *Table) propertyOf(name string) string {
	if name == "" {
		return ""
	}
	for _, col := range t.Columns {
		if col.Name == name {
			return col.Prop.Name
		}
	}
	if (name == "PRIMARY" || strings.HasSuffix(name, "_pkey")) && len(t.ID) > 0 {
		return t.ID[0].Prop.Name
	}
	for _, ix := range t.Indexes {
		if ix.Name == name && len(ix.Columns) > 0 {
			for _, col := range t.Columns {
				if col.Name == ix.Columns[0] {
					return col.Prop.Name
				}
			}
		}
	}
	return ""
}
