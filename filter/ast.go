package filter

import (
	"regexp"
	"strings"

	"github.com/loopback-go/lb/model"
)

// Filter is a LoopBack query: {"where", "fields", "order", "limit", "skip",
// "include"}. The zero value selects every instance in the default order.
type Filter struct {
	Where   *Where
	Fields  *Fields
	Order   []Order
	Limit   int // 0 means no limit
	Skip    int // "skip" or "offset"
	Include []Inclusion
	// PartitionBy, when set, names a property: Limit and Skip then apply
	// to each group of instances with the same value of it, in Order,
	// instead of to the whole result (an inclusion's limit per parent,
	// grouped by the foreign key). It is not part of LoopBack's filter
	// language (parsing never sets it); the repository sets it only for
	// connectors that report connector.PartitionLimiter.
	PartitionBy string
}

// Where is a node of a where clause: every condition in Conds and every
// clause in And must hold, and when Or is not empty at least one of its
// clauses must hold too. A nil *Where matches everything.
type Where struct {
	Conds []Cond
	And   []*Where
	Or    []*Where
}

// Cond is one condition: the property at Path (dotted for nested objects:
// "address.city") compared with Value by Op.
type Cond struct {
	Path string
	Op   Op
	// Value is coerced to the property's type when the filter is validated
	// against a model: string, float64, int64, bool, time.Time, nil, []any
	// (inq, nin, between), *RegexpValue (regexp) or bool (exists).
	Value any
	// Via is set by validation against a model with a registry
	// ([ValidateOptions.Registry]) when Path starts with the name of a
	// relation ("todoList.color"): the condition is on a property of the
	// related model ([Cond.RelatedPath]). For belongsTo and hasOne the
	// related instance must match; for hasMany at least one of them (an
	// instance without related instances matches no such condition). nil
	// for a property of the model itself.
	Via *model.Link
}

// RelatedPath returns the path below the relation name of a condition or
// order term across a relation: "color" for "todoList.color".
func RelatedPath(path string) string {
	_, rest, _ := strings.Cut(path, ".")
	return rest
}

// Op is a where operator.
type Op string

// The where operators of LoopBack.
const (
	Eq      Op = "eq"
	Neq     Op = "neq"
	Gt      Op = "gt"
	Gte     Op = "gte"
	Lt      Op = "lt"
	Lte     Op = "lte"
	Inq     Op = "inq"
	Nin     Op = "nin"
	Between Op = "between"
	Exists  Op = "exists"
	Like    Op = "like"
	Nlike   Op = "nlike"
	Ilike   Op = "ilike"
	Nilike  Op = "nilike"
	Regexp  Op = "regexp"
)

// RegexpValue is the value of a regexp condition: "^a" or "/^a/i".
type RegexpValue struct {
	Pattern string // without slashes
	Flags   string // i, g, m, s ...

	re *regexp.Regexp // compiled by the parser
}

// Fields selects properties: when Include is not empty only those are
// returned; otherwise every property except those in Exclude.
type Fields struct {
	Include []string
	Exclude []string
}

// Order is one ordering term: "title DESC".
type Order struct {
	Property string
	Desc     bool
	// Via is set by validation when Property names a property of a
	// related model through a belongsTo or hasOne relation
	// ("todoList.title"), as [Cond.Via].
	Via *model.Link
}

// Inclusion asks for a relation to be included in the results.
type Inclusion struct {
	Relation string
	// Scope filters the related instances; Scope.Limit applies per parent.
	Scope *Filter
	// TotalLimit limits the related instances over all parents.
	TotalLimit int

	short bool // given as a plain string: "todos"
}
