package memory

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

// table holds the instances of one model, keyed by normalized id and kept in
// id order.
type table struct {
	name string
	next int64 // the next auto-increment id (LoopBack's ids[model])

	once    sync.Once  // adopts raw rows loaded from a file with the first definition
	adoptMu sync.Mutex // held while adopting, and by the file writer
	def     *model.Definition
	ids     []*model.Property // id properties; empty means the implicit "id"
	uniques []uniqueIndex     // unique constraints besides the id
	raw     map[string]map[string]any

	rc *rowCodec // encodes rows by def

	idx rowIndex       // rows by key, in key order (see row.go, index.go)
	enc map[any]string // cached file entries of rows (see writeEntries)
}

func newTable(name string) *table {
	return &table{name: name, next: 1}
}

// adopt binds the table to def on first use and converts rows loaded from
// a file to record values. It is safe under the read lock.
func (t *table) adopt(def *model.Definition) {
	t.once.Do(func() {
		t.adoptMu.Lock()
		defer t.adoptMu.Unlock()
		t.def = def
		t.ids = idProps(def)
		t.uniques = uniqueIndexes(def)
		t.rc = newRowCodec(def)
		keys := make([]any, 0, len(t.raw))
		rows := make([]string, 0, len(t.raw))
		seen := make(map[any]bool, len(t.raw))
		for k, raw := range t.raw {
			rec := decodeRecord(def, raw)
			key, err := t.keyOf(rec)
			if err != nil || key == nil {
				key = fileKey(k)
				if len(t.ids) <= 1 {
					rec[t.idName()] = key
				}
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			row, _, err := t.rc.encode(rec)
			if err != nil {
				// Values decoded from JSON and normalized always encode.
				panic(fmt.Sprintf("memory: %s.%s: %v", t.name, keyString(key), err))
			}
			keys = append(keys, key)
			rows = append(rows, row)
			if n, ok := key.(int64); ok && n >= t.next {
				t.next = n + 1
			}
		}
		t.raw = nil
		t.idx.load(keys, rows)
	})
}

// fileKey turns a key of the file's models object into a row key: numbers
// become int64, anything else stays a string.
func fileKey(k string) any {
	if n, err := strconv.ParseInt(k, 10, 64); err == nil && strconv.FormatInt(n, 10) == k {
		return n
	}
	return k
}

// idProps returns the id properties of def in key order.
func idProps(def *model.Definition) []*model.Property {
	var ids []*model.Property
	for _, p := range def.Properties {
		if p.ID > 0 {
			ids = append(ids, p)
		}
	}
	slices.SortStableFunc(ids, func(a, b *model.Property) int { return cmp.Compare(a.ID, b.ID) })
	return ids
}

// idName is the name of the single id property ("id" when the model
// declares none).
func (t *table) idName() string {
	if len(t.ids) == 0 {
		return "id"
	}
	return t.ids[0].Name
}

// keyOf returns the normalized key of rec, nil when an id is missing.
func (t *table) keyOf(rec connector.Record) (any, error) {
	if len(t.ids) <= 1 {
		return normalizeKey(rec[t.idName()])
	}
	var b strings.Builder
	for i, p := range t.ids {
		k, err := normalizeKey(rec[p.Name])
		if err != nil || k == nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(keyString(k))
	}
	return b.String(), nil
}

// normalizeKey maps an id value to a map key: integral numbers become
// int64 so that 1 and 1.0 name the same instance.
func normalizeKey(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case int64, string:
		return v, nil // already a key: no second boxing
	case int:
		return int64(x), nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return int64(x), nil
		}
		return x, nil
	}
	return nil, fault.New(fault.BadRequest, "INVALID_ID", fmt.Sprintf("invalid id value %v (%T)", v, v))
}

// keyString is the form of a key in the file's models object.
func keyString(k any) string {
	switch x := k.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(k)
}

// keyCompare orders keys: numbers before strings.
func keyCompare(a, b any) int {
	switch x := a.(type) {
	case int64:
		switch y := b.(type) {
		case int64:
			return cmp.Compare(x, y)
		case float64:
			return cmp.Compare(float64(x), y)
		}
		return -1
	case float64:
		switch y := b.(type) {
		case int64:
			return cmp.Compare(x, float64(y))
		case float64:
			return cmp.Compare(x, y)
		}
		return -1
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
		return 1
	}
	return 0
}

// cloneValue deep-copies a record value.
func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return cloneMap(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	case []byte:
		return slices.Clone(x)
	case int:
		return int64(x)
	}
	return v
}

// cloneMap deep-copies m: the map is copied in one go (cheaper than
// inserting its entries one by one), then the values cloneValue changes
// (nested objects, arrays, buffers, int) are replaced by their copies.
func cloneMap(m map[string]any) map[string]any {
	out := maps.Clone(m)
	for k, v := range out {
		switch v.(type) {
		case map[string]any, []any, []byte, int:
			out[k] = cloneValue(v)
		}
	}
	return out
}
