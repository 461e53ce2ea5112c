package memory

import (
	"slices"
)

// rowIndex holds the rows of a table in id order. While every id is an
// int64 (generated numeric ids: the common case) it keeps two parallel
// sorted slices, ids and rows: no map, no boxed keys, lookups by binary
// search and scans that read the rows in order. The first id of another
// kind (a string, a fractional number) turns it into a map from key to row
// with a sorted key list.
//
// Positions (0 to len-1, in id order) stay valid until a row is added or
// removed; replacing a row keeps them.
type rowIndex struct {
	ids  []int64
	vals []string // rows, parallel to ids

	general bool
	keys    []any // sorted with keyCompare
	rows    map[any]string
}

func (x *rowIndex) len() int {
	if x.general {
		return len(x.keys)
	}
	return len(x.ids)
}

// pos returns the position of key.
func (x *rowIndex) pos(key any) (int, bool) {
	if x.general {
		if _, ok := x.rows[key]; !ok {
			return 0, false
		}
		return slices.BinarySearchFunc(x.keys, key, keyCompare)
	}
	n, ok := key.(int64)
	if !ok {
		return 0, false
	}
	return slices.BinarySearch(x.ids, n)
}

// get returns the row of key.
func (x *rowIndex) get(key any) (string, bool) {
	if x.general {
		r, ok := x.rows[key]
		return r, ok
	}
	if i, ok := x.pos(key); ok {
		return x.vals[i], true
	}
	return "", false
}

// keyAt returns the key at position i.
func (x *rowIndex) keyAt(i int) any {
	if x.general {
		return x.keys[i]
	}
	return x.ids[i]
}

// rowAt returns the row at position i.
func (x *rowIndex) rowAt(i int) string {
	if x.general {
		return x.rows[x.keys[i]]
	}
	return x.vals[i]
}

// set stores row under key and returns the row it replaced.
func (x *rowIndex) set(key any, row string) (prev string, existed bool) {
	if !x.general {
		n, ok := key.(int64)
		if ok {
			last := len(x.ids) - 1
			if last < 0 || x.ids[last] < n {
				x.ids = append(x.ids, n)
				x.vals = append(x.vals, row)
				return "", false
			}
			i, found := slices.BinarySearch(x.ids, n)
			if found {
				prev, x.vals[i] = x.vals[i], row
				return prev, true
			}
			x.ids = slices.Insert(x.ids, i, n)
			x.vals = slices.Insert(x.vals, i, row)
			return "", false
		}
		x.toGeneral()
	}
	prev, existed = x.rows[key]
	x.rows[key] = row
	if !existed {
		n := len(x.keys)
		if n == 0 || keyCompare(x.keys[n-1], key) < 0 {
			x.keys = append(x.keys, key)
		} else if i, found := slices.BinarySearchFunc(x.keys, key, keyCompare); !found {
			x.keys = slices.Insert(x.keys, i, key)
		}
	}
	return prev, existed
}

// remove deletes the row of key and returns it.
func (x *rowIndex) remove(key any) (string, bool) {
	i, ok := x.pos(key)
	if !ok {
		return "", false
	}
	if x.general {
		prev := x.rows[key]
		delete(x.rows, key)
		x.keys = slices.Delete(x.keys, i, i+1)
		return prev, true
	}
	prev := x.vals[i]
	x.ids = slices.Delete(x.ids, i, i+1)
	x.vals = slices.Delete(x.vals, i, i+1)
	return prev, true
}

// removeAt deletes the rows at the positions in ps (ascending) in one pass.
func (x *rowIndex) removeAt(ps []int) {
	if len(ps) == 0 {
		return
	}
	if x.general {
		for _, p := range ps {
			delete(x.rows, x.keys[p])
		}
		x.keys = compact(x.keys, ps)
		return
	}
	x.ids = compact(x.ids, ps)
	x.vals = compact(x.vals, ps)
}

// compact removes the elements at the positions in ps (ascending) from s.
func compact[T any](s []T, ps []int) []T {
	w := ps[0]
	next := 0
	for r := ps[0]; r < len(s); r++ {
		if next < len(ps) && ps[next] == r {
			next++
			continue
		}
		s[w] = s[r]
		w++
	}
	clear(s[w:])
	return s[:w]
}

// load replaces the contents with rows (keys distinct), in one sort.
func (x *rowIndex) load(keys []any, rows []string) {
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return keyCompare(keys[a], keys[b]) })
	*x = rowIndex{}
	for _, i := range order {
		x.set(keys[i], rows[i])
	}
}

// toGeneral turns the index into its map form.
func (x *rowIndex) toGeneral() {
	x.general = true
	x.keys = make([]any, len(x.ids))
	x.rows = make(map[any]string, len(x.ids))
	for i, n := range x.ids {
		x.keys[i] = n
		x.rows[n] = x.vals[i]
	}
	x.ids, x.vals = nil, nil
}
