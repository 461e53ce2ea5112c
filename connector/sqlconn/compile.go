package sqlconn

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
)

// JSONPathText returns the JSON path of the keys in path, as MySQL's
// JSON_EXTRACT and SQLite's json_extract take it: $."a"."b". The keys have
// been checked; the text is meant to be bound as a parameter.
func JSONPathText(path []string) string {
	var p strings.Builder
	p.WriteByte('$')
	for _, k := range path {
		p.WriteString(`."`)
		p.WriteString(k)
		p.WriteByte('"')
	}
	return p.String()
}

// LimitOffset writes " LIMIT ? OFFSET ?" with limit and offset bound,
// leaving out a part that is 0. When only offset is given and unlimited is
// not empty, it writes " LIMIT " + unlimited first, for engines that take
// OFFSET only after a LIMIT (MySQL, SQLite).
func LimitOffset(b *Builder, limit, offset int, unlimited string) {
	switch {
	case limit > 0:
		b.WriteString(" LIMIT ")
		b.Arg(int64(limit))
	case offset > 0 && unlimited != "":
		b.WriteString(" LIMIT " + unlimited)
	}
	if offset > 0 {
		b.WriteString(" OFFSET ")
		b.Arg(int64(offset))
	}
}

// MaxArgs is the largest number of bound parameters one statement may carry;
// a filter that needs more is rejected with fault.BadRequest. It stays below
// the limits of every supported engine.
const MaxArgs = 30000

// Builder accumulates the text and the bound arguments of one statement.
// The zero value is not usable: make one with [NewBuilder].
type Builder struct {
	d    Dialect
	sb   strings.Builder
	args []any
	// patterns names the like and regexp conditions written
	// ("where.title.regexp"), for error messages.
	patterns []string
}

// NewBuilder returns an empty Builder for the dialect.
func NewBuilder(d Dialect) *Builder { return &Builder{d: d} }

// WriteString appends SQL text. Only text from the program and from model
// definitions may be written; values go through Arg.
func (b *Builder) WriteString(s string) { b.sb.WriteString(s) }

// Ident appends a quoted identifier.
func (b *Builder) Ident(name string) { b.sb.WriteString(b.d.Quote(name)) }

// Arg appends the placeholder of a new bound parameter with value v.
func (b *Builder) Arg(v any) {
	b.args = append(b.args, v)
	b.sb.WriteString(b.d.Placeholder(len(b.args)))
}

// Args returns the bound arguments so far.
func (b *Builder) Args() []any { return b.args }

// String returns the SQL text so far.
func (b *Builder) String() string { return b.sb.String() }

// Query is a compiled statement.
type Query struct {
	SQL  string
	Args []any
	// Columns are the selected columns in result order (SELECT only).
	Columns []*Column
	// Empty is true when the projection selects no property: Columns then
	// holds the id columns, which are read but not returned.
	Empty bool
	// Patterns names the like and regexp conditions of the statement
	// ("where.title.regexp"): a pattern the engine refuses is reported naming
	// them.
	Patterns []string
}

func badFilter(format string, args ...any) error {
	return fault.New(fault.BadRequest, "INVALID_PARAMETER_VALUE", fmt.Sprintf(format, args...))
}

// TableRef writes the possibly schema-qualified, quoted table name.
func (b *Builder) TableRef(t *Table) {
	if t.Schema != "" {
		b.Ident(t.Schema)
		b.sb.WriteByte('.')
	}
	b.Ident(t.Name)
}

// Select compiles a find: SELECT columns FROM table WHERE … ORDER BY …
// LIMIT … OFFSET …. Unknown properties in where, fields or order are
// rejected with fault.BadRequest.
func Select(d Dialect, t *Table, f *filter.Filter) (*Query, error) {
	if f == nil {
		f = &filter.Filter{}
	}
	if f.Limit < 0 || f.Skip < 0 {
		return nil, badFilter("limit and skip must not be negative")
	}
	cq, key, err := cachedSelect(d, t, f)
	if cq != nil || err != nil {
		return cq, err
	}
	q := &Query{}
	cols, err := projection(t, f.Fields)
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		q.Empty = true
		cols = t.ID
		if len(cols) == 0 {
			cols = t.Columns[:1]
		}
	}
	q.Columns = cols
	if f.PartitionBy != "" {
		return selectPartitioned(d, t, f, q)
	}
	b := NewBuilder(d)
	pre := t.prefixes(d)
	if len(cols) == len(t.Columns) {
		b.WriteString(pre.selectAll)
	} else {
		b.WriteString("SELECT ")
		for i, c := range cols {
			if i > 0 {
				b.WriteString(", ")
			}
			b.Ident(c.Name)
		}
		b.WriteString(" FROM ")
		b.TableRef(t)
	}
	if err := WhereClause(b, t, f.Where); err != nil {
		return nil, err
	}
	if len(f.Order) == 0 {
		b.WriteString(pre.orderByID)
	} else if err := orderBy(b, t, f.Order); err != nil {
		return nil, err
	}
	d.LimitOffset(b, f.Limit, f.Skip)
	q.SQL, q.Args, q.Patterns = b.String(), b.Args(), b.patterns
	if key != "" {
		storeSelect(d, t, f, key, q)
	}
	return q, nil
}

// prefixes are the parts of statements that depend only on the table and
// the dialect, built once.
type prefixes struct {
	dialect   string   // the dialect's name
	selectAll string   // SELECT every column FROM table
	orderByID string   // " ORDER BY" the id columns, or ""
	insert    string   // INSERT INTO table
	update    string   // UPDATE table SET
	quoted    []string // the quoted column names, in column order
	selects   selectShapes
	// inserts holds the INSERT text by the set of columns it sets (a bit
	// per column, bit 63 for RETURNING), at most MaxSelectShapes of them.
	mu      sync.RWMutex
	inserts map[uint64]string
}

func (t *Table) prefixes(d Dialect) *prefixes {
	name := d.Name()
	if p := t.last.Load(); p != nil && p.dialect == name {
		return p
	}
	if p, ok := t.cache.Load(name); ok {
		t.last.Store(p.(*prefixes))
		return p.(*prefixes)
	}
	b := NewBuilder(d)
	b.WriteString("SELECT ")
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.Ident(c.Name)
	}
	b.WriteString(" FROM ")
	b.TableRef(t)
	p := &prefixes{dialect: name, selectAll: b.String(), quoted: make([]string, len(t.Columns)), inserts: map[uint64]string{}}
	for i, c := range t.Columns {
		p.quoted[i] = d.Quote(c.Name)
	}
	ib := NewBuilder(d)
	ib.WriteString("INSERT INTO ")
	ib.TableRef(t)
	p.insert = ib.String()
	ub := NewBuilder(d)
	ub.WriteString("UPDATE ")
	ub.TableRef(t)
	ub.WriteString(" SET ")
	p.update = ub.String()
	if len(t.ID) > 0 {
		ob := NewBuilder(d)
		_ = orderBy(ob, t, nil)
		p.orderByID = ob.String()
	}
	actual, _ := t.cache.LoadOrStore(name, p)
	t.last.Store(actual.(*prefixes))
	return actual.(*prefixes)
}

// Count compiles SELECT COUNT(*) FROM table WHERE ….
func Count(d Dialect, t *Table, w *filter.Where) (*Query, error) {
	b := NewBuilder(d)
	b.WriteString("SELECT COUNT(*) FROM ")
	b.TableRef(t)
	if err := WhereClause(b, t, w); err != nil {
		return nil, err
	}
	return &Query{SQL: b.String(), Args: b.Args(), Patterns: b.patterns}, nil
}

// Delete compiles DELETE FROM table WHERE ….
func Delete(d Dialect, t *Table, w *filter.Where) (*Query, error) {
	b := NewBuilder(d)
	b.WriteString("DELETE FROM ")
	b.TableRef(t)
	if err := targetWhere(b, t, w); err != nil {
		return nil, err
	}
	return &Query{SQL: b.String(), Args: b.Args(), Patterns: b.patterns}, nil
}

// Update compiles UPDATE table SET … WHERE … for the properties present in
// data; properties the model does not define are ignored (they cannot be
// stored in a table). It returns nil when data sets no column.
func Update(d Dialect, t *Table, w *filter.Where, data map[string]any) (*Query, error) {
	pre := t.prefixes(d)
	b := NewBuilder(d)
	b.WriteString(pre.update)
	n := 0
	for _, c := range t.Columns {
		v, ok := data[c.Prop.Name]
		if !ok {
			continue
		}
		dv, err := toDB(d, t, c, v)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pre.quoted[c.idx])
		b.WriteString(" = ")
		b.Arg(dv)
		n++
	}
	if n == 0 {
		return nil, nil
	}
	if err := targetWhere(b, t, w); err != nil {
		return nil, err
	}
	return &Query{SQL: b.String(), Args: b.Args(), Patterns: b.patterns}, nil
}

// Insert compiles INSERT INTO table (…) VALUES (…) for the properties
// present in rec, with RETURNING of the id columns when the dialect
// supports it and returning is true.
func Insert(d Dialect, t *Table, rec map[string]any, returning bool) (*Query, error) {
	pre := t.prefixes(d)
	vals := make([]any, 0, len(t.Columns))
	var mask uint64 // the columns set, when there are at most 63
	for _, c := range t.Columns {
		v, ok := rec[c.Prop.Name]
		if !ok {
			continue
		}
		if v == nil && (c.AutoIncrement || c.UUID) {
			continue
		}
		dv, err := toDB(d, t, c, v)
		if err != nil {
			return nil, err
		}
		vals = append(vals, dv)
		mask |= 1 << c.idx
	}
	returning = returning && d.Returning() && len(t.ID) > 0
	q := &Query{Args: vals}
	if returning {
		q.Columns = t.ID
	}
	cacheable := len(t.Columns) < 64
	if returning {
		mask |= 1 << 63
	}
	if cacheable {
		pre.mu.RLock()
		sql, ok := pre.inserts[mask]
		pre.mu.RUnlock()
		if ok {
			q.SQL = sql
			return q, nil
		}
	}
	// The statement is not cached yet: list the columns set again (the
	// rule of the loop above), which a cached statement does not need.
	cols := make([]*Column, 0, len(vals))
	for _, c := range t.Columns {
		if v, ok := rec[c.Prop.Name]; ok && (v != nil || !(c.AutoIncrement || c.UUID)) {
			cols = append(cols, c)
		}
	}
	b := NewBuilder(d)
	b.WriteString(pre.insert)
	if len(cols) == 0 {
		if d.Name() == "mysql" {
			b.WriteString(" () VALUES ()")
		} else {
			b.WriteString(" DEFAULT VALUES")
		}
	} else {
		b.WriteString(" (")
		for i, c := range cols {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(pre.quoted[c.idx])
		}
		b.WriteString(") VALUES (")
		for i, v := range vals {
			if i > 0 {
				b.WriteString(", ")
			}
			b.Arg(v)
		}
		b.WriteString(")")
	}
	if returning {
		b.WriteString(" RETURNING ")
		for i, c := range t.ID {
			if i > 0 {
				b.WriteString(", ")
			}
			b.Ident(c.Name)
		}
	}
	q.SQL = b.String()
	if cacheable {
		pre.mu.Lock()
		if len(pre.inserts) < MaxSelectShapes {
			pre.inserts[mask] = q.SQL
		}
		pre.mu.Unlock()
	}
	return q, nil
}

func toDB(d Dialect, t *Table, c *Column, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if err := checkStored(t, c, v); err != nil {
		return nil, err
	}
	dv, err := d.ToDB(c, v)
	if err != nil {
		return nil, fault.New(fault.Invalid, "INVALID_VALUE", fmt.Sprintf("invalid value for property %s: %v", c.Prop.Name, err))
	}
	return dv, nil
}

func projection(t *Table, f *filter.Fields) ([]*Column, error) {
	if f == nil || (len(f.Include) == 0 && len(f.Exclude) == 0) {
		return t.Columns, nil
	}
	if len(f.Include) > 0 {
		want := make(map[string]bool, len(f.Include))
		for _, p := range f.Include {
			if t.byProp[p] == nil {
				return nil, badFilter("fields: unknown property %q of model %s", p, t.Def.Name)
			}
			want[p] = true
		}
		cols := make([]*Column, 0, len(want))
		for _, c := range t.Columns {
			if want[c.Prop.Name] {
				cols = append(cols, c)
			}
		}
		return cols, nil
	}
	drop := make(map[string]bool, len(f.Exclude))
	for _, p := range f.Exclude {
		if t.byProp[p] == nil {
			return nil, badFilter("fields: unknown property %q of model %s", p, t.Def.Name)
		}
		drop[p] = true
	}
	cols := make([]*Column, 0, len(t.Columns))
	for _, c := range t.Columns {
		if !drop[c.Prop.Name] {
			cols = append(cols, c)
		}
	}
	return cols, nil
}

func orderBy(b *Builder, t *Table, order []filter.Order) error {
	if len(order) == 0 {
		if len(t.ID) == 0 {
			return nil
		}
		b.WriteString(" ORDER BY ")
		for i, c := range t.ID {
			if i > 0 {
				b.WriteString(", ")
			}
			b.Ident(c.Name)
		}
		return nil
	}
	b.WriteString(" ORDER BY ")
	for i, o := range order {
		if o.Via != nil {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := acrossOrder(b, t, o); err != nil {
				return err
			}
			continue
		}
		c := t.byProp[o.Property]
		if c == nil {
			return badFilter("order: unknown property %q of model %s", o.Property, t.Def.Name)
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.Ident(c.Name)
		if o.Desc {
			b.WriteString(" DESC")
		}
	}
	return nil
}

// WhereClause writes " WHERE …" for w, or nothing when w matches
// everything.
func WhereClause(b *Builder, t *Table, w *filter.Where) error {
	mark := b.sb.Len()
	b.WriteString(" WHERE ")
	start := b.sb.Len()
	if err := where(b, t, w, 0); err != nil {
		return err
	}
	if b.sb.Len() == start {
		s := b.sb.String()[:mark]
		b.sb.Reset()
		b.sb.WriteString(s)
	}
	if len(b.args) > MaxArgs {
		return badFilter("where: too many values (%d; at most %d)", len(b.args), MaxArgs)
	}
	return nil
}

// MaxDepth is the deepest nesting of and/or clauses a where clause may
// have; deeper ones are rejected with fault.BadRequest.
const MaxDepth = 32

// where writes the conditions of w joined with AND; it writes nothing when
// w matches everything.
func where(b *Builder, t *Table, w *filter.Where, depth int) error {
	if w == nil {
		return nil
	}
	if depth > MaxDepth {
		return badFilter("where: and/or nested deeper than %d", MaxDepth)
	}
	n := 0
	sep := func() {
		if n > 0 {
			b.WriteString(" AND ")
		}
		n++
	}
	for i := range w.Conds {
		sep()
		if err := cond(b, t, &w.Conds[i]); err != nil {
			return err
		}
	}
	for _, sub := range w.And {
		mark := b.sb.Len()
		sep()
		b.WriteString("(")
		start := b.sb.Len()
		if err := where(b, t, sub, depth+1); err != nil {
			return err
		}
		if b.sb.Len() == start { // matches everything: drop it
			s := b.sb.String()[:mark]
			b.sb.Reset()
			b.sb.WriteString(s)
			n--
			continue
		}
		b.WriteString(")")
	}
	if len(w.Or) > 0 {
		sep()
		b.WriteString("(")
		for i, sub := range w.Or {
			if i > 0 {
				b.WriteString(" OR ")
			}
			b.WriteString("(")
			start := b.sb.Len()
			if err := where(b, t, sub, depth+1); err != nil {
				return err
			}
			if b.sb.Len() == start { // an always-true branch makes the OR true
				b.WriteString("1=1")
			}
			b.WriteString(")")
		}
		b.WriteString(")")
	}
	return nil
}

// compareValue converts v, compared by op with the column c at path, into
// a bound parameter; a value the column cannot take is a 400.
func compareValue(d Dialect, c *Column, path string, op filter.Op, v any) (any, error) {
	if op == "" {
		op = filter.Eq
	}
	if s, ok := v.(string); ok {
		if err := checkText(s); err != nil {
			return nil, badFilter("where: %s: %s value %v", path, op, err)
		}
	}
	dv, err := d.ToDB(c, v)
	if err != nil {
		return nil, badFilter("where: %s: %v", path, err)
	}
	return dv, nil
}

var jsonKey = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$-]*$|^[0-9]+$`)

// resolve finds the column of a condition path and the JSON path below it.
func resolve(t *Table, path string) (*Column, []string, error) {
	head, rest, dotted := strings.Cut(path, ".")
	c := t.byProp[head]
	if c == nil {
		return nil, nil, badFilter("where: unknown property %q of model %s", head, t.Def.Name)
	}
	if !dotted {
		return c, nil, nil
	}
	if c.Kind != KindJSON {
		return nil, nil, badFilter("where: property %q of model %s is not an object", head, t.Def.Name)
	}
	keys := strings.Split(rest, ".")
	props := c.Prop.Properties
	for i, k := range keys {
		if !jsonKey.MatchString(k) || len(k) > 128 {
			return nil, nil, badFilter("where: invalid key %q in %q", k, path)
		}
		if len(props) > 0 {
			var found bool
			for _, p := range props {
				if p.Name == k {
					props, found = p.Properties, true
					break
				}
			}
			if !found {
				return nil, nil, badFilter("where: unknown property %q of %s", strings.Join(keys[:i+1], "."), head)
			}
		} else {
			props = nil
		}
	}
	return c, keys, nil
}

func listValue(v any) ([]any, bool) {
	switch l := v.(type) {
	case []any:
		return l, true
	case []string:
		out := make([]any, len(l))
		for i, s := range l {
			out[i] = s
		}
		return out, true
	case []float64:
		out := make([]any, len(l))
		for i, s := range l {
			out[i] = s
		}
		return out, true
	case []int64:
		out := make([]any, len(l))
		for i, s := range l {
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

func cond(b *Builder, t *Table, cd *filter.Cond) error {
	if cd.Via != nil {
		return acrossCond(b, t, cd)
	}
	c, path, err := resolve(t, cd.Path)
	if err != nil {
		return err
	}
	if path != nil {
		// Dates inside JSON are RFC 3339 text, as json.Marshal writes them.
		cp := *cd
		cp.Value = jsonDates(cd.Value)
		cd = &cp
	}
	op := cd.Op
	if op == "" {
		op = filter.Eq
	}
	// expr writes the compared expression; value converts a bound value.
	expr := func(sample any) { b.Ident(c.Name) }
	value := func(v any) (any, error) { return compareValue(b.d, c, cd.Path, op, v) }
	if path != nil {
		expr = func(sample any) { b.d.JSONPath(b, b.d.Quote(c.Name), path, sample) }
		value = func(v any) (any, error) {
			if s, ok := v.(string); ok {
				if err := checkText(s); err != nil {
					return nil, badFilter("where: %s: %s value %v", cd.Path, op, err)
				}
			}
			switch v.(type) {
			case nil, string, bool, float64, int64, int:
				return b.d.JSONValue(v), nil
			}
			return nil, badFilter("where: %s: unsupported value %T for a nested property", cd.Path, v)
		}
	}
	switch op {
	case filter.Eq, filter.Neq, filter.Gt, filter.Gte, filter.Lt, filter.Lte:
		if cd.Value == nil {
			switch op {
			case filter.Eq:
				expr(nil)
				b.WriteString(" IS NULL")
				return nil
			case filter.Neq:
				expr(nil)
				b.WriteString(" IS NOT NULL")
				return nil
			}
			b.WriteString("1=0") // comparisons with null match nothing
			return nil
		}
		if _, isList := listValue(cd.Value); isList && path == nil && c.Kind != KindJSON {
			return badFilter("where: %s: operator %s takes one value, not a list", cd.Path, op)
		}
		v, err := value(cd.Value)
		if err != nil {
			return err
		}
		var sqlOp string
		switch op {
		case filter.Eq:
			sqlOp = " = "
		case filter.Neq:
			sqlOp = " <> "
		case filter.Gt:
			sqlOp = " > "
		case filter.Gte:
			sqlOp = " >= "
		case filter.Lt:
			sqlOp = " < "
		default:
			sqlOp = " <= "
		}
		if op == filter.Neq {
			b.WriteString("(")
			expr(cd.Value)
			b.WriteString(sqlOp)
			b.Arg(v)
			b.WriteString(" OR ")
			expr(cd.Value)
			b.WriteString(" IS NULL)")
			return nil
		}
		expr(cd.Value)
		b.WriteString(sqlOp)
		b.Arg(v)
		return nil
	case filter.Inq, filter.Nin:
		list, ok := listValue(cd.Value)
		if !ok {
			list = []any{cd.Value}
		}
		if len(list) > MaxArgs {
			return badFilter("where: %s: too many values (%d; at most %d)", cd.Path, len(list), MaxArgs)
		}
		var vals []any
		hasNull := false
		for _, e := range list {
			if e == nil {
				hasNull = true
				continue
			}
			v, err := value(e)
			if err != nil {
				return err
			}
			vals = append(vals, v)
		}
		var sample any
		if len(list) > 0 {
			sample = list[0]
		}
		// inq: IN, plus IS NULL when the list holds null; nin: NOT IN,
		// plus IS NULL when it does not (null is not in any list).
		in := op == filter.Inq
		empty, nullTest, listOp := "1=1", " IS NOT NULL", " NOT IN ("
		if in {
			empty, nullTest, listOp = "1=0", " IS NULL", " IN ("
		}
		switch {
		case len(vals) == 0 && !hasNull:
			b.WriteString(empty)
			return nil
		case len(vals) == 0:
			expr(sample)
			b.WriteString(nullTest)
			return nil
		}
		b.WriteString("(")
		expr(sample)
		b.WriteString(listOp)
		for i, v := range vals {
			if i > 0 {
				b.WriteString(", ")
			}
			b.Arg(v)
		}
		b.WriteString(")")
		if hasNull == in {
			b.WriteString(" OR ")
			expr(sample)
			b.WriteString(" IS NULL")
		}
		b.WriteString(")")
		return nil
	case filter.Between:
		list, ok := listValue(cd.Value)
		if !ok || len(list) != 2 || list[0] == nil || list[1] == nil {
			return badFilter("where: %s: between takes a list of two values", cd.Path)
		}
		lo, err := value(list[0])
		if err != nil {
			return err
		}
		hi, err := value(list[1])
		if err != nil {
			return err
		}
		expr(list[0])
		b.WriteString(" BETWEEN ")
		b.Arg(lo)
		b.WriteString(" AND ")
		b.Arg(hi)
		return nil
	case filter.Exists:
		want, ok := cd.Value.(bool)
		if !ok {
			return badFilter("where: %s: exists takes true or false", cd.Path)
		}
		expr(nil)
		if want {
			b.WriteString(" IS NOT NULL")
		} else {
			b.WriteString(" IS NULL")
		}
		return nil
	case filter.Like, filter.Nlike, filter.Ilike, filter.Nilike, filter.Regexp:
		pattern := cd.Value
		if op == filter.Regexp {
			rv, err := ParseRegexp(cd.Value)
			if err != nil {
				return badFilter("where: %s: %v", cd.Path, err)
			}
			if err := checkText(rv.Pattern); err != nil {
				return badFilter("where: %s: %s pattern %v", cd.Path, op, err)
			}
			pattern = rv
		} else {
			p, ok := pattern.(string)
			if !ok {
				return badFilter("where: %s: %s takes a string pattern", cd.Path, op)
			}
			if err := checkText(p); err != nil {
				return badFilter("where: %s: %s pattern %v", cd.Path, op, err)
			}
			pattern = literalTrailingEscape(p)
		}
		var e string
		switch {
		case path != nil:
			sub := NewBuilder(b.d)
			sub.args = b.args
			b.d.JSONPath(sub, b.d.Quote(c.Name), path, "")
			e, b.args = sub.String(), sub.args
		case c.Kind == KindString:
			e = b.d.Quote(c.Name)
		case c.Kind == KindInt:
			// Integers compare by their decimal text, the same on every
			// connector ("12%" matches 12 and 120).
			e = b.d.Text(b.d.Quote(c.Name))
		default:
			return badFilter("where: %s: operator %s applies to string and integer properties only", cd.Path, op)
		}
		b.patterns = append(b.patterns, "where."+cd.Path+"."+string(op))
		if err := b.d.Match(b, e, op, pattern); err != nil {
			return badFilter("where: %s: %v", cd.Path, err)
		}
		return nil
	}
	return badFilter("where: %s: unknown operator %q", cd.Path, op)
}

func jsonDates(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonDates(e)
		}
		return out
	}
	return v
}

// ParseRegexp returns the pattern of a regexp condition: a
// *filter.RegexpValue as is, or a string "^a" or "/^a/i". Only the flags
// i, g, m and s are accepted (g is ignored).
func ParseRegexp(v any) (*filter.RegexpValue, error) {
	var rv filter.RegexpValue
	switch x := v.(type) {
	case *filter.RegexpValue:
		if x == nil {
			return nil, fmt.Errorf("regexp takes a pattern")
		}
		rv = *x
	case filter.RegexpValue:
		rv = x
	case string:
		rv.Pattern = x
		if len(x) >= 2 && x[0] == '/' {
			if i := strings.LastIndexByte(x, '/'); i > 0 {
				rv.Pattern, rv.Flags = x[1:i], x[i+1:]
			}
		}
	default:
		return nil, fmt.Errorf("regexp takes a string pattern, not %T", v)
	}
	for _, f := range rv.Flags {
		if !strings.ContainsRune("igms", f) {
			return nil, fmt.Errorf("unsupported regexp flag %q", f)
		}
	}
	if _, err := regexp.Compile(rv.Pattern); err != nil {
		return nil, fmt.Errorf("invalid regexp: %w", err)
	}
	return &rv, nil
}

// LockOrder is how a dialect makes a multi-row UPDATE or DELETE take its
// row locks in id order, so that two statements over overlapping rows wait
// for each other instead of deadlocking (each would otherwise lock rows in
// the order its scan meets them).
type LockOrder int

// The lock orders.
const (
	// LockUnordered leaves the order to the engine.
	LockUnordered LockOrder = iota
	// LockSubquery selects the target rows with
	// WHERE id IN (SELECT id FROM t WHERE … ORDER BY id FOR UPDATE)
	// (PostgreSQL).
	LockSubquery
	// LockOrderBy appends ORDER BY id to the statement (MySQL, MariaDB).
	LockOrderBy
)

// RowLockOrderer is implemented by dialects that lock the rows of
// multi-row writes in a stable order; dialects without it use
// LockUnordered.
type RowLockOrderer interface {
	// RowLockOrder returns how the dialect orders row locks.
	RowLockOrder() LockOrder
}

// targetWhere writes the WHERE clause of an UPDATE or DELETE: w, with the
// rows locked in id order when the dialect asks for it and w may match
// more than one row.
func targetWhere(b *Builder, t *Table, w *filter.Where) error {
	order := LockUnordered
	if lo, ok := b.d.(RowLockOrderer); ok && len(t.ID) > 0 && !singleRow(t, w) {
		order = lo.RowLockOrder()
	}
	switch order {
	case LockSubquery:
		ids := func() {
			if len(t.ID) > 1 {
				b.WriteString("(")
			}
			for i, c := range t.ID {
				if i > 0 {
					b.WriteString(", ")
				}
				b.Ident(c.Name)
			}
			if len(t.ID) > 1 {
				b.WriteString(")")
			}
		}
		b.WriteString(" WHERE ")
		ids()
		b.WriteString(" IN (SELECT ")
		ids()
		b.WriteString(" FROM ")
		b.TableRef(t)
		if err := WhereClause(b, t, w); err != nil {
			return err
		}
		_ = orderBy(b, t, nil)
		b.WriteString(" FOR UPDATE)")
		return nil
	case LockOrderBy:
		if err := WhereClause(b, t, w); err != nil {
			return err
		}
		return orderBy(b, t, nil)
	}
	return WhereClause(b, t, w)
}

// singleRow reports whether w selects at most one row by its id (an eq
// condition on every id property): such a statement locks one row, in any
// order.
func singleRow(t *Table, w *filter.Where) bool {
	if w == nil || len(w.And) > 0 || len(w.Or) > 0 {
		return false
	}
	for _, id := range t.ID {
		found := false
		for _, cd := range w.Conds {
			if cd.Path == id.Prop.Name && (cd.Op == filter.Eq || cd.Op == "") && cd.Value != nil {
				if _, list := listValue(cd.Value); !list {
					found = true
					break
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}
