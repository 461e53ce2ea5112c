package memory

import (
	"slices"
	"unsafe"
)

// rowIndex holds the rows of a table in id order. While every id is an
// int64 (generated numeric ids: the common case) it keeps two parallel
// sorted slices, ids and references to the rows, which it copies into an
// arena: no map, no boxed keys, lookups by binary search, scans that read
// the rows in order, and nothing the garbage collector has to look at
// however many rows there are. The first id of another kind (a string, a
// fractional number) turns it into a map from key to row with a sorted key
// list.
//
// Positions (0 to len-1, in id order) stay valid until a row is added or
// removed; replacing a row keeps them.
type rowIndex struct {
	ids   []int64
	refs  []rowRef // the rows in arena, parallel to ids
	arena arena

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
		return x.arena.get(x.refs[i]), true
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
	return x.arena.get(x.refs[i])
}

// set stores row under key and returns the row it replaced.
func (x *rowIndex) set(key any, row string) (prev string, existed bool) {
	if !x.general {
		n, ok := key.(int64)
		if ok {
			last := len(x.ids) - 1
			if last < 0 || x.ids[last] < n {
				x.ids = append(x.ids, n)
				x.refs = append(x.refs, x.arena.add(row))
				return "", false
			}
			i, found := slices.BinarySearch(x.ids, n)
			if found {
				prev = x.arena.get(x.refs[i])
				x.arena.free(x.refs[i])
				x.refs[i] = x.arena.add(row)
				x.compactArena()
				return prev, true
			}
			x.ids = slices.Insert(x.ids, i, n)
			x.refs = slices.Insert(x.refs, i, x.arena.add(row))
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
	prev := x.arena.get(x.refs[i])
	x.arena.free(x.refs[i])
	x.ids = slices.Delete(x.ids, i, i+1)
	x.refs = slices.Delete(x.refs, i, i+1)
	x.compactArena()
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
	for _, p := range ps {
		x.arena.free(x.refs[p])
	}
	x.ids = compact(x.ids, ps)
	x.refs = compact(x.refs, ps)
	x.compactArena()
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

// restore adds rows under keys that the index does not hold (rows removed
// earlier, brought back by a rollback): one by one when they are few, else
// in one merge of sorted lists, so that bringing back many rows is not
// quadratic.
func (x *rowIndex) restore(keys []any, rows []string) {
	if len(keys) < 64 {
		for i, k := range keys {
			x.set(k, rows[i])
		}
		return
	}
	n := x.len()
	all := make([]any, 0, n+len(keys))
	allRows := make([]string, 0, n+len(keys))
	for i := range n {
		all = append(all, x.keyAt(i))
		allRows = append(allRows, x.rowAt(i))
	}
	x.load(append(all, keys...), append(allRows, rows...))
}

// toGeneral turns the index into its map form.
func (x *rowIndex) toGeneral() {
	x.general = true
	x.keys = make([]any, len(x.ids))
	x.rows = make(map[any]string, len(x.ids))
	for i, n := range x.ids {
		x.keys[i] = n
		x.rows[n] = x.arena.get(x.refs[i])
	}
	x.ids, x.refs, x.arena = nil, nil, arena{}
}

// compactArena copies the live rows into a new arena once the rows
// replaced or removed take more room than the live ones (and at least a
// chunk): amortized, each byte written is copied at most once more.
func (x *rowIndex) compactArena() {
	if x.arena.dead < chunkSize || x.arena.dead < x.arena.live {
		return
	}
	old := x.arena
	x.arena = arena{}
	for i, r := range x.refs {
		x.refs[i] = x.arena.add(old.get(r))
	}
}

// chunkSize is the size of an arena chunk (a variable so that tests can
// make chunks small).
var chunkSize = 1 << 20

// An arena holds rows in large chunks: each row is its length (uvarint)
// then its bytes, appended to the last chunk, never moved or changed once
// written. The rows it hands out are strings sharing the chunks' memory;
// they stay valid after the arena drops a chunk (the collector keeps the
// chunk while a string uses it). Chunks hold no pointers: however many rows
// an arena holds, the collector has a few objects to look at.
type arena struct {
	chunks     [][]byte
	live, dead int // bytes of rows in use, and of rows freed
}

// rowRef locates a row in an arena: chunk index << 32 | offset.
type rowRef uint64

// add copies row into the arena.
func (a *arena) add(row string) rowRef {
	need := uvarintLen(uint64(len(row))) + len(row)
	last := len(a.chunks) - 1
	if last < 0 || cap(a.chunks[last])-len(a.chunks[last]) < need {
		a.chunks = append(a.chunks, make([]byte, 0, max(chunkSize, need)))
		last++
	}
	c := a.chunks[last]
	ref := rowRef(uint64(last)<<32 | uint64(len(c)))
	c = appendUvarint(c, uint64(len(row)))
	a.chunks[last] = append(c, row...) // within capacity: nothing moves
	a.live += need
	return ref
}

// get returns the row at ref, sharing the chunk's memory.
func (a *arena) get(ref rowRef) string {
	c := a.chunks[ref>>32]
	r := rowReader{s: unsafe.String(unsafe.SliceData(c), len(c)), pos: int(uint32(ref))}
	n := int(r.uvarint())
	return r.s[r.pos : r.pos+n]
}

// free records that the row at ref is no longer used.
func (a *arena) free(ref rowRef) {
	n := len(a.get(ref))
	size := uvarintLen(uint64(n)) + n
	a.live -= size
	a.dead += size
}

func uvarintLen(u uint64) int {
	n := 1
	for u >= 0x80 {
		u >>= 7
		n++
	}
	return n
}
