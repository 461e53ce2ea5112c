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
// cancellations, are returned wrapped as they are. The messages never
// carry the driver's text, which stays available to errors.As and logs as
// the wrapped cause.
func (c *Connector) mapError(step string, t *Table, err error) error {
	return c.mapStatementError(step, t, nil, false, err)
}

// mapStatementError is mapError for the statement q (nil when unknown);
// read is true for statements that only read (find, count), whose
// invalid values come from the filter, not from an instance.
func (c *Connector) mapStatementError(step string, t *Table, q *Query, read bool, err error) error {
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
		if cl.Retry {
			return &fault.Error{Kind: fault.Conflict, Code: "CONCURRENT_UPDATE",
				Message: fmt.Sprintf("%s: the change conflicted with concurrent changes; try again", step), Err: err}
		}
		return &fault.Error{Kind: fault.Conflict, Message: fmt.Sprintf("%s: a constraint was violated", step), Err: err}
	case fault.Invalid:
		return c.invalidError(step, t, q, read, cl.Violation, prop, err)
	}
	return &fault.Error{Kind: kind, Message: fmt.Sprintf("%s: %s", step, kind), Err: err}
}

// invalidError maps a value the database refused. A refused pattern is a
// 400 naming the like and regexp conditions of the statement; a refused
// value in a read is a 400 of the filter; a refused value in a write is
// LoopBack's 422 ValidationError naming the property when the engine
// said which. Outside a model (hand-written statements) the message names
// the step.
func (c *Connector) invalidError(step string, t *Table, q *Query, read bool, v Violation, prop string, err error) error {
	model := ""
	if t != nil {
		model = t.Def.Name
	}
	if v == PatternViolation {
		what := "a like or regexp pattern"
		if q != nil && len(q.Patterns) > 0 {
			what = "the pattern of " + strings.Join(q.Patterns, ", ")
		}
		return &fault.Error{Kind: fault.BadRequest, Code: "INVALID_PARAMETER_VALUE",
			Message: fmt.Sprintf("Invalid filter: %s is not supported by %s.", what, c.d.Name()), Err: err}
	}
	problem, code := "cannot be stored by the database", "type"
	switch v {
	case LengthViolation:
		problem, code = "is too long", "length.max"
	case EncodingViolation:
		problem, code = "contains characters the database cannot store", "format"
	case NotNullViolation:
		problem, code = "can't be null", "presence"
	case CheckViolation:
		problem, code = "violates a check constraint", "check"
	}
	if t == nil {
		return &fault.Error{Kind: fault.Invalid, Message: fmt.Sprintf("%s: a value %s", step, problem), Err: err}
	}
	if read {
		msg := "Invalid filter: a where value cannot be compared by the database."
		if prop != "" {
			msg = fmt.Sprintf("Invalid filter: where.%s has a value the database cannot compare.", prop)
		}
		return &fault.Error{Kind: fault.BadRequest, Code: "INVALID_PARAMETER_VALUE", Message: msg, Err: err}
	}
	if prop == "" {
		return &fault.Error{Kind: fault.Invalid, Name: "ValidationError",
			Message: fmt.Sprintf("The `%s` instance is not valid. Details: a value %s.", model, problem), Err: err}
	}
	e := invalidValue(model, prop, code, problem)
	e.Err = err
	return e
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
