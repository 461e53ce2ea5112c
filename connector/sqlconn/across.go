package sqlconn

import (
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Conditions and order terms across relations (filter.Cond.Via,
// filter.Order.Via) compile to subqueries correlated on the relation's
// keys, so that the statement keeps one row per instance and every
// statement form (SELECT, COUNT, UPDATE, DELETE) takes them alike:
//
//	where {"todoList.color": "red"}   EXISTS (SELECT 1 FROM "TodoList" AS "lb_rel"
//	                                    WHERE "lb_rel"."id" = "Todo"."todoListId" AND "color" = $1)
//	where {"todos.isComplete": true}  EXISTS (SELECT 1 FROM "Todo" AS "lb_rel"
//	                                    WHERE "lb_rel"."todoListId" = "TodoList"."id" AND "isComplete" = $1)
//	order "todoList.title DESC"       (SELECT "lb_rel"."title" FROM "TodoList" AS "lb_rel"
//	                                    WHERE "lb_rel"."id" = "Todo"."todoListId" LIMIT 1) DESC
//
// Inside the subquery the related table's columns are written unqualified
// and resolve to it (the nearest scope); the outer key is qualified with
// the outer table. With an index on the keys (the id, and the foreign key
// migration indexes) the database runs them as index-backed semi-joins.

// relAlias is the alias of the related table in a subquery.
const relAlias = "lb_rel"

// QueriesRelations reports true: the SQL connectors evaluate conditions and
// order terms across relations in the database (connector.RelationQuerier).
func (c *Connector) QueriesRelations() bool { return true }

// relatedTable returns the table of a relation's target and the key
// columns that join it to t.
func relatedTable(b *Builder, t *Table, via *model.Link) (rt *Table, source, target *Column, err error) {
	rt, err = NewTable(b.d.Name(), via.Target)
	if err != nil {
		return nil, nil, nil, err
	}
	source, target = t.byProp[via.SourceKey], rt.byProp[via.TargetKey]
	if source == nil || target == nil {
		return nil, nil, nil, badFilter("relation %s: key %s or %s has no column", via.Relation.Name, via.SourceKey, via.TargetKey)
	}
	return rt, source, target, nil
}

// correlate writes FROM related AS lb_rel WHERE lb_rel.target = outer.source.
func correlate(b *Builder, t, rt *Table, source, target *Column) {
	b.WriteString(" FROM ")
	b.TableRef(rt)
	b.WriteString(" AS ")
	b.Ident(relAlias)
	b.WriteString(" WHERE ")
	b.Ident(relAlias)
	b.WriteString(".")
	b.Ident(target.Name)
	b.WriteString(" = ")
	b.TableRef(t)
	b.WriteString(".")
	b.Ident(source.Name)
}

// acrossCond writes EXISTS (SELECT 1 FROM related … AND condition).
func acrossCond(b *Builder, t *Table, cd *filter.Cond) error {
	rt, source, target, err := relatedTable(b, t, cd.Via)
	if err != nil {
		return err
	}
	b.WriteString("EXISTS (SELECT 1")
	correlate(b, t, rt, source, target)
	b.WriteString(" AND ")
	inner := filter.Cond{Path: filter.RelatedPath(cd.Path), Op: cd.Op, Value: cd.Value}
	if err := cond(b, rt, &inner); err != nil {
		return err
	}
	b.WriteString(")")
	return nil
}

// acrossOrder writes (SELECT lb_rel.column FROM related … LIMIT 1) [DESC].
func acrossOrder(b *Builder, t *Table, o filter.Order) error {
	rt, source, target, err := relatedTable(b, t, o.Via)
	if err != nil {
		return err
	}
	c := rt.byProp[filter.RelatedPath(o.Property)]
	if c == nil {
		return badFilter("order: unknown property %q", o.Property)
	}
	b.WriteString("(SELECT ")
	b.Ident(relAlias)
	b.WriteString(".")
	b.Ident(c.Name)
	correlate(b, t, rt, source, target)
	b.WriteString(" LIMIT 1") // PostgreSQL, MySQL and SQLite alike
	b.WriteString(")")
	if o.Desc {
		b.WriteString(" DESC")
	}
	return nil
}

// rowNumber is the column alias of a row's position in its partition.
const rowNumber = "lb_rn"

// LimitsPerPartition reports true: the SQL connectors page per partition
// in the database (connector.PartitionLimiter).
func (c *Connector) LimitsPerPartition() bool { return true }

// selectPartitioned compiles a find whose limit and skip apply per value
// of f.PartitionBy (an inclusion's limit per parent):
//
//	SELECT cols FROM (SELECT cols, ROW_NUMBER() OVER (PARTITION BY "todoListId"
//	  ORDER BY …) AS "lb_rn" FROM "Todo" WHERE …) AS "lb_page"
//	WHERE "lb_rn" > $skip [AND "lb_rn" <= $skip+limit] ORDER BY …
func selectPartitioned(d Dialect, t *Table, f *filter.Filter, q *Query) (*Query, error) {
	part := t.byProp[f.PartitionBy]
	if part == nil {
		return nil, badFilter("partition: unknown property %q of model %s", f.PartitionBy, t.Def.Name)
	}
	for _, o := range f.Order {
		if o.Via != nil {
			return nil, badFilter("partition: order across relation %s is not supported", o.Via.Relation.Name)
		}
	}
	b := NewBuilder(d)
	columns := func() {
		for i, c := range q.Columns {
			if i > 0 {
				b.WriteString(", ")
			}
			b.Ident(c.Name)
		}
	}
	b.WriteString("SELECT ")
	columns()
	b.WriteString(" FROM (SELECT ")
	columns()
	b.WriteString(", ROW_NUMBER() OVER (PARTITION BY ")
	b.Ident(part.Name)
	if err := orderBy(b, t, f.Order); err != nil {
		return nil, err
	}
	b.WriteString(") AS ")
	b.Ident(rowNumber)
	b.WriteString(" FROM ")
	b.TableRef(t)
	if err := WhereClause(b, t, f.Where); err != nil {
		return nil, err
	}
	b.WriteString(") AS ")
	b.Ident("lb_page")
	b.WriteString(" WHERE ")
	b.Ident(rowNumber)
	b.WriteString(" > ")
	b.Arg(int64(f.Skip))
	if f.Limit > 0 {
		b.WriteString(" AND ")
		b.Ident(rowNumber)
		b.WriteString(" <= ")
		b.Arg(int64(f.Skip + f.Limit))
	}
	if err := orderBy(b, t, f.Order); err != nil {
		return nil, err
	}
	q.SQL, q.Args, q.Patterns = b.String(), b.Args(), b.patterns
	return q, nil
}
