package memory

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/model"
)

// uniqueIndex is a unique constraint: properties whose values, together,
// no two instances share. Instances with a null in any of them are exempt,
// as in SQL.
type uniqueIndex struct {
	props []string
}

// uniqueIndexes collects the unique constraints of def: unique properties
// and unique model-level indexes.
func uniqueIndexes(def *model.Definition) []uniqueIndex {
	var out []uniqueIndex
	for _, p := range def.Properties {
		if p.Unique && p.ID == 0 {
			out = append(out, uniqueIndex{props: []string{p.Name}})
		}
	}
	for _, ix := range def.Settings.Indexes {
		if ix.Unique && len(ix.Columns) > 0 {
			out = append(out, uniqueIndex{props: ix.Columns})
		}
	}
	return out
}

// tuple is the comparable form of rec's values for the index; ok is false
// when one of them is null.
func (ix uniqueIndex) tuple(rec connector.Record) (string, bool) {
	var b strings.Builder
	for _, p := range ix.props {
		v := rec[p]
		switch x := v.(type) {
		case nil:
			return "", false
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
				v = int64(x)
			}
		case time.Time:
			v = x.UTC().Format(time.RFC3339Nano)
		}
		fmt.Fprintf(&b, "%T:%v\x00", v, v)
	}
	return b.String(), true
}

// checkUnique reports the first unique constraint that the table would
// break if the rows in changed replaced (or were added to) its rows.
func (t *table) checkUnique(def *model.Definition, changed map[any]connector.Record) error {
	if len(t.uniques) == 0 {
		return nil
	}
	for _, ix := range t.uniques {
		seen := make(map[string]bool, t.idx.len()+len(changed))
		add := func(rec connector.Record) bool {
			k, ok := ix.tuple(rec)
			if !ok {
				return true
			}
			if seen[k] {
				return false
			}
			seen[k] = true
			return true
		}
		for _, rec := range changed {
			if !add(rec) {
				return connector.DuplicateError(def, strings.Join(ix.props, ","))
			}
		}
		set := t.rc.set(ix.props, false)
		scratch := make(connector.Record, len(ix.props))
		for i := range t.idx.len() {
			if _, replaced := changed[t.idx.keyAt(i)]; replaced {
				continue
			}
			clear(scratch)
			if !add(t.rc.decodeSome(scratch, t.idx.rowAt(i), set, false)) {
				return connector.DuplicateError(def, strings.Join(ix.props, ","))
			}
		}
	}
	return nil
}
