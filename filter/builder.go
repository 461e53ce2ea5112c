package filter

import "slices"

// Condition starts a where condition on a property; finish it with an
// operator method. Build one with [Prop].
type Condition struct {
	path string
}

// Prop starts a condition on the property at path (dotted for nested
// objects):
//
//	filter.Prop("title").Eq("buy milk")
//	filter.Prop("address.city").Inq("Paris", "Lyon")
func Prop(path string) Condition { return Condition{path: path} }

func (c Condition) cond(op Op, v any) *Where {
	return &Where{Conds: []Cond{{Path: c.path, Op: op, Value: v}}}
}

// Eq matches values equal to v (nil: missing or null values).
func (c Condition) Eq(v any) *Where { return c.cond(Eq, v) }

// Neq matches values not equal to v (nil: present values).
func (c Condition) Neq(v any) *Where { return c.cond(Neq, v) }

// Gt matches values greater than v.
func (c Condition) Gt(v any) *Where { return c.cond(Gt, v) }

// Gte matches values greater than or equal to v.
func (c Condition) Gte(v any) *Where { return c.cond(Gte, v) }

// Lt matches values less than v.
func (c Condition) Lt(v any) *Where { return c.cond(Lt, v) }

// Lte matches values less than or equal to v.
func (c Condition) Lte(v any) *Where { return c.cond(Lte, v) }

// Inq matches values equal to one of vals.
func (c Condition) Inq(vals ...any) *Where { return c.cond(Inq, slices.Clone(vals)) }

// Nin matches values equal to none of vals.
func (c Condition) Nin(vals ...any) *Where { return c.cond(Nin, slices.Clone(vals)) }

// Between matches values from lo to hi, both included.
func (c Condition) Between(lo, hi any) *Where { return c.cond(Between, []any{lo, hi}) }

// Exists matches present, non-null values (or, with false, missing or null
// ones).
func (c Condition) Exists(exists bool) *Where { return c.cond(Exists, exists) }

// Like matches strings against a SQL pattern (% any run, _ one character).
func (c Condition) Like(pattern string) *Where { return c.cond(Like, pattern) }

// Nlike matches strings that do not match a SQL pattern.
func (c Condition) Nlike(pattern string) *Where { return c.cond(Nlike, pattern) }

// Ilike is Like ignoring case.
func (c Condition) Ilike(pattern string) *Where { return c.cond(Ilike, pattern) }

// Nilike is Nlike ignoring case.
func (c Condition) Nilike(pattern string) *Where { return c.cond(Nilike, pattern) }

// Regexp matches strings against a regular expression, "^a" or "/^a/i". A
// malformed pattern is reported by [Filter.Validate] or [Compile].
func (c Condition) Regexp(pattern string) *Where {
	if rv, err := ParseRegexp(pattern); err == nil {
		return c.cond(Regexp, rv)
	}
	return c.cond(Regexp, pattern)
}

// And returns a clause that holds when every clause holds; nil clauses are
// skipped. (Where has fields named And and Or, so combining is done with
// these functions rather than methods.)
//
//	filter.And(filter.Prop("done").Eq(false), filter.Prop("title").Like("buy%"))
func And(clauses ...*Where) *Where {
	w := &Where{}
	for _, c := range clauses {
		if c != nil {
			w.And = append(w.And, c)
		}
	}
	return w
}

// Or returns a clause that holds when at least one clause holds; nil
// clauses (which match everything) are skipped.
func Or(clauses ...*Where) *Where {
	w := &Where{}
	for _, c := range clauses {
		if c != nil {
			w.Or = append(w.Or, c)
		}
	}
	return w
}

// Builder builds a filter for Go callers:
//
//	f := filter.New().
//		Where(filter.Prop("done").Eq(false)).
//		Order("title DESC").
//		Limit(10).
//		Filter()
//
// The zero value is ready to use; a Builder is not safe for concurrent
// use.
type Builder struct {
	f Filter
}

// New returns an empty filter builder.
func New() *Builder { return &Builder{} }

// Where adds a clause; several clauses must all hold.
func (b *Builder) Where(w *Where) *Builder {
	if b.f.Where == nil {
		b.f.Where = w
	} else {
		b.f.Where = And(b.f.Where, w)
	}
	return b
}

// Order appends ordering terms: "title", "title ASC", "title DESC". A
// malformed term is a programming error and panics.
func (b *Builder) Order(terms ...string) *Builder {
	for _, t := range terms {
		o, err := orderTerm(t)
		if err != nil {
			panic("filter: " + err.Error())
		}
		b.f.Order = append(b.f.Order, o)
	}
	return b
}

// Limit sets the maximum number of results (0: no limit).
func (b *Builder) Limit(n int) *Builder { b.f.Limit = n; return b }

// Skip sets the number of results to skip.
func (b *Builder) Skip(n int) *Builder { b.f.Skip = n; return b }

// Fields selects the properties to return.
func (b *Builder) Fields(names ...string) *Builder {
	if b.f.Fields == nil {
		b.f.Fields = &Fields{}
	}
	b.f.Fields.Include = append(b.f.Fields.Include, names...)
	return b
}

// Exclude leaves properties out of the results.
func (b *Builder) Exclude(names ...string) *Builder {
	if b.f.Fields == nil {
		b.f.Fields = &Fields{}
	}
	b.f.Fields.Exclude = append(b.f.Fields.Exclude, names...)
	return b
}

// Include asks for a relation, optionally with a scope filter for the
// related instances.
func (b *Builder) Include(relation string, scope ...*Filter) *Builder {
	inc := Inclusion{Relation: relation}
	if len(scope) > 0 {
		inc.Scope = scope[0]
	}
	b.f.Include = append(b.f.Include, inc)
	return b
}

// Filter returns the filter built so far (a copy: the builder can go on).
func (b *Builder) Filter() *Filter { return b.f.Clone() }
