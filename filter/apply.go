package filter

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/loopback-go/lb/model"
)

// Sort sorts records in place, stably, by order; with no order it sorts by
// the model's id properties, ascending (LoopBack's default order). Values
// compare as in [Compare]; null and missing values sort first in ascending
// order, and values of different types in a fixed order of types. def may
// be nil when order is given.
func Sort(recs []map[string]any, order []Order, def *model.Definition) {
	if len(order) == 0 && def != nil {
		for _, p := range def.ID() {
			order = append(order, Order{Property: p.Name})
		}
	}
	if len(order) == 0 || len(recs) < 2 {
		return
	}
	keys := make([][]string, len(order))
	for i, o := range order {
		keys[i] = strings.Split(o.Property, ".")
	}
	slices.SortStableFunc(recs, func(a, b map[string]any) int {
		for i, o := range order {
			va, _ := lookup(a, keys[i])
			vb, _ := lookup(b, keys[i])
			c := SortCompare(va, vb)
			if c != 0 {
				if o.Desc {
					return -c
				}
				return c
			}
		}
		return 0
	})
}

// SortCompare is [Compare] extended to a total order over all record
// values: nil first, then booleans, numbers, strings, dates, buffers and
// anything else.
func SortCompare(a, b any) int {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return -1
		}
		return 1
	}
	if c, ok := Compare(a, b); ok {
		return c
	}
	ra, rb := typeRank(a), typeRank(b)
	if ra != rb {
		return ra - rb
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func typeRank(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case bool:
		return 1
	case int64, float64:
		return 2
	case string:
		return 3
	case time.Time:
		return 4
	case []byte:
		return 5
	}
	return 6
}

// Project returns rec reduced to the selected fields: only the Include
// names when there are any, else every key but the Exclude names. With nil
// fields it returns rec itself; otherwise a new map (values are shared).
func Project(rec map[string]any, fields *Fields) map[string]any {
	if fields == nil || len(fields.Include) == 0 && len(fields.Exclude) == 0 {
		return rec
	}
	if len(fields.Include) > 0 {
		out := make(map[string]any, len(fields.Include))
		for _, k := range fields.Include {
			if v, ok := rec[k]; ok {
				out[k] = v
			}
		}
		return out
	}
	out := make(map[string]any, len(rec))
	for k, v := range rec {
		if !slices.Contains(fields.Exclude, k) {
			out[k] = v
		}
	}
	return out
}

// Page returns the part of items that skip and limit select; limit 0
// means no limit. It returns a subslice of items.
func Page[T any](items []T, limit, skip int) []T {
	if skip < 0 {
		skip = 0
	}
	if skip >= len(items) {
		return items[:0]
	}
	items = items[skip:]
	if limit > 0 && limit < len(items) {
		items = items[:limit]
	}
	return items
}

// Apply runs a filter over records in memory: where, then order (default:
// by id), then skip and limit, then fields. The filter should have been
// validated against def. The records are not modified; the result is a new
// slice (projected records are new maps). Include is not handled here: it
// needs the related repositories.
func Apply(recs []map[string]any, f *Filter, def *model.Definition) ([]map[string]any, error) {
	if f == nil {
		f = &Filter{}
	}
	m, err := Compile(f.Where)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(recs))
	for _, r := range recs {
		if m.Match(r) {
			out = append(out, r)
		}
	}
	Sort(out, f.Order, def)
	out = Page(out, f.Limit, f.Skip)
	if f.Fields != nil {
		for i, r := range out {
			out[i] = Project(r, f.Fields)
		}
	}
	return out, nil
}
