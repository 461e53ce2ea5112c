package memory

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestRowIndex runs random operations on a rowIndex and on a plain map,
// checking after each that both hold the same rows in the same key order:
// in the int64 form, and after a string or fractional key turns the index
// into its map form.
func TestRowIndex(t *testing.T) {
	// Small chunks: rows span many chunks, and freed rows soon make the
	// arena compact itself.
	defer func(n int) { chunkSize = n }(chunkSize)
	chunkSize = 64
	for _, other := range []any{nil, "uuid-1", 2.5} {
		t.Run(fmt.Sprint(other), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			var x rowIndex
			want := map[any]string{}
			check := func(step int) {
				t.Helper()
				keys := make([]any, 0, len(want))
				for k := range want {
					keys = append(keys, k)
				}
				slices.SortFunc(keys, keyCompare)
				if x.len() != len(keys) {
					t.Fatalf("step %d: len %d; want %d", step, x.len(), len(keys))
				}
				for i, k := range keys {
					if x.keyAt(i) != k || x.rowAt(i) != want[k] {
						t.Fatalf("step %d: position %d holds %v=%q; want %v=%q", step, i, x.keyAt(i), x.rowAt(i), k, want[k])
					}
					if p, ok := x.pos(k); !ok || p != i {
						t.Fatalf("step %d: pos(%v) = %d, %v; want %d", step, k, p, ok, i)
					}
				}
			}
			for step := range 3000 {
				key := any(int64(rng.IntN(200)))
				if step == 1500 && other != nil {
					key = other
				}
				row := fmt.Sprint("row", step, strings.Repeat("x", rng.IntN(100)))
				op := rng.IntN(10)
				if key == other {
					op = 0 // the other key is set
				}
				switch {
				case op < 6:
					prev, existed := x.set(key, row)
					if wp, we := want[key]; existed != we || prev != wp {
						t.Fatalf("step %d: set(%v) replaced %q, %v; want %q, %v", step, key, prev, existed, wp, we)
					}
					want[key] = row
				case op < 9:
					prev, existed := x.remove(key)
					if wp, we := want[key]; existed != we || prev != wp {
						t.Fatalf("step %d: remove(%v) = %q, %v; want %q, %v", step, key, prev, existed, wp, we)
					}
					delete(want, key)
				default:
					// Remove every third row in one pass.
					var ps []int
					for p := 0; p < x.len(); p += 3 {
						ps = append(ps, p)
						delete(want, x.keyAt(p))
					}
					x.removeAt(ps)
				}
				if _, ok := x.get("absent"); ok {
					t.Fatalf("step %d: got a row for an absent key", step)
				}
				check(step)
			}
			if other != nil && !x.general {
				t.Errorf("after key %v: still in the int64 form", other)
			}
			if other == nil && (x.arena.dead >= x.arena.live && x.arena.dead >= chunkSize || len(x.arena.chunks) < 2) {
				t.Errorf("arena: %d live, %d dead bytes in %d chunks; want it compacted and spanning chunks", x.arena.live, x.arena.dead, len(x.arena.chunks))
			}
			// load sorts rows given in any order.
			keys := []any{int64(5), int64(-1), int64(3)}
			if other != nil {
				keys = append(keys, other)
			}
			rows := make([]string, len(keys))
			want = map[any]string{}
			for i, k := range keys {
				rows[i] = fmt.Sprint("loaded", i)
				want[k] = rows[i]
			}
			x.load(keys, rows)
			check(-1)
		})
	}
}
