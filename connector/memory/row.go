package memory

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/internal/jsonw"
	"github.com/loopback-go/lb/model"
)

// A stored instance is a row: a compact binary encoding of its record,
// held in a Go string so that it can never change once stored. LoopBack's
// memory connector keeps each instance as a JSON string for the same
// reason; a binary form is smaller, keeps the record's Go types exactly
// (int64 and float64, time.Time, []byte) and costs the garbage collector
// one pointer-free object per instance instead of a map, its strings and
// its boxed values. Reads decode what they need: the properties a where
// clause looks at, the records they return, or JSON straight from the row
// (see [Connector.FindJSON]).
//
// Layout: uvarint member count, then the members. A member is a name
// reference and a value. The reference is uvarint i+1 for the i-th
// property of the table's definition, or 0 followed by the name as a
// string for keys that are not properties. Properties come first in
// declaration order, then the other keys in sorted order, so that the
// members are in the order LoopBack writes them. A value is a tag byte
// and its payload:
const (
	tagNull   byte = iota
	tagFalse       // no payload
	tagTrue        // no payload
	tagInt         // zigzag varint
	tagFloat       // 8 bytes, little-endian IEEE 754
	tagString      // uvarint length, bytes
	tagBytes       // uvarint length, bytes
	tagTime        // uvarint length, time.Time.MarshalBinary (the instant and the zone offset; not a zone name)
	tagArray       // uvarint count, values
	tagObject      // uvarint count, then count × (string key, value) in sorted key order
	tagPlain       // as tagString, for a string JSON writes as it is: printable ASCII but '"' and '\\'
)

// rowCodec encodes and decodes the rows of one table.
type rowCodec struct {
	def    *model.Definition
	index  map[string]int // property name → position in def.Properties
	hidden []bool         // by property position
	// nullable marks, by property position, the visible properties that
	// answer null when they have no value; anyNullable says one does.
	nullable    []bool
	anyNullable bool
	keys        [][]byte // by property position: the name as a JSON string and ':'
	names       []string // by property position
}

func newRowCodec(def *model.Definition) *rowCodec {
	rc := &rowCodec{def: def, index: make(map[string]int, len(def.Properties)), hidden: make([]bool, len(def.Properties))}
	for i, p := range def.Properties {
		if _, dup := rc.index[p.Name]; !dup {
			rc.index[p.Name] = i
		}
		rc.hidden[i] = def.IsHidden(p.Name)
		rc.nullable = append(rc.nullable, p.Nullable && !rc.hidden[i])
		rc.anyNullable = rc.anyNullable || p.Nullable && !rc.hidden[i]
		rc.keys = append(rc.keys, append(jsonw.AppendString(nil, p.Name), ':'))
		rc.names = append(rc.names, p.Name)
	}
	return rc
}

// encPool holds the scratch buffers rows are encoded in.
var encPool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// encode returns rec's row. plain reports that rec holds only scalar
// values of the record types (nil, bool, int64, float64, string,
// time.Time), so that decoding the row would give a record equal to rec
// sharing nothing with it.
func (rc *rowCodec) encode(rec connector.Record) (row string, plain bool, err error) {
	bp := encPool.Get().(*[]byte)
	b := appendUvarint((*bp)[:0], uint64(len(rec)))
	plain = true
	seen := 0
	// rc.names, not rc.def: rows name properties by the positions the codec
	// was built with, whatever later happens to the definition.
	for i, name := range rc.names {
		if seen == len(rec) {
			break
		}
		v, ok := rec[name]
		if !ok || rc.index[name] != i {
			continue
		}
		seen++
		b = appendUvarint(b, uint64(i+1))
		if b, plain, err = appendRowValue(b, v, plain); err != nil {
			return "", false, fmt.Errorf("property %q: %w", name, err)
		}
	}
	if seen < len(rec) {
		extra := make([]string, 0, len(rec)-seen)
		for k := range rec {
			if _, known := rc.index[k]; !known {
				extra = append(extra, k)
			}
		}
		slices.Sort(extra)
		for _, k := range extra {
			b = append(b, 0)
			b = appendRowString(b, k)
			if b, plain, err = appendRowValue(b, rec[k], plain); err != nil {
				return "", false, fmt.Errorf("property %q: %w", k, err)
			}
		}
	}
	row = string(b)
	*bp = b
	encPool.Put(bp)
	return row, plain, nil
}

// appendRowValue appends v's tag and payload; plain is cleared for values
// that are not plain scalars.
func appendRowValue(b []byte, v any, plain bool) ([]byte, bool, error) {
	switch x := v.(type) {
	case nil:
		return append(b, tagNull), plain, nil
	case bool:
		if x {
			return append(b, tagTrue), plain, nil
		}
		return append(b, tagFalse), plain, nil
	case int64:
		return appendVarint(append(b, tagInt), x), plain, nil
	case float64:
		return appendFloat(append(b, tagFloat), x), plain, nil
	case string:
		tag := tagPlain
		for i := 0; i < len(x); i++ {
			if c := x[i]; c < 0x20 || c > 0x7f || c == '"' || c == '\\' {
				tag = tagString
				break
			}
		}
		return appendRowString(append(b, tag), x), plain, nil
	case time.Time:
		t, err := x.MarshalBinary()
		if err != nil {
			return nil, false, err
		}
		return appendRowString(append(b, tagTime), string(t)), plain, nil
	case []byte:
		return appendRowString(append(b, tagBytes), string(x)), false, nil
	case []any:
		b = appendUvarint(append(b, tagArray), uint64(len(x)))
		var err error
		for _, e := range x {
			if b, _, err = appendRowValue(b, e, false); err != nil {
				return nil, false, err
			}
		}
		return b, false, nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = appendUvarint(append(b, tagObject), uint64(len(x)))
		var err error
		for _, k := range keys {
			b = appendRowString(b, k)
			if b, _, err = appendRowValue(b, x[k], false); err != nil {
				return nil, false, err
			}
		}
		return b, false, nil
	}
	// Values of other Go types (a connector called directly with an int or
	// a struct): stored as the record types their JSON encoding decodes
	// to, as model.Normalize would make them.
	n, err := normalizeOther(v)
	if err != nil {
		return nil, false, err
	}
	b, _, err = appendRowValue(b, n, false)
	return b, false, err
}

// normalizeOther converts a value that is not of a record type the way
// model.Normalize converts the value of a key that is not a property.
func normalizeOther(v any) (any, error) {
	n, err := model.Normalize(&model.Definition{}, map[string]any{"v": v})
	if err != nil {
		return nil, err
	}
	switch n["v"].(type) {
	case nil, bool, int64, float64, string, time.Time, []byte, []any, map[string]any:
		return n["v"], nil
	}
	return nil, fmt.Errorf("a %T cannot be stored", v)
}

func appendRowString(b []byte, s string) []byte {
	return append(appendUvarint(b, uint64(len(s))), s...)
}

func appendUvarint(b []byte, u uint64) []byte {
	for u >= 0x80 {
		b = append(b, byte(u)|0x80)
		u >>= 7
	}
	return append(b, byte(u))
}

func appendVarint(b []byte, n int64) []byte {
	return appendUvarint(b, uint64(n<<1)^uint64(n>>63))
}

func appendFloat(b []byte, f float64) []byte {
	u := math.Float64bits(f)
	return append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24), byte(u>>32), byte(u>>40), byte(u>>48), byte(u>>56))
}

// rowReader reads a row. Rows are written by encode only, so a malformed
// row is a bug: the reader panics rather than returning wrong data.
type rowReader struct {
	s   string
	pos int
}

func (r *rowReader) more() bool { return r.pos < len(r.s) }

func (r *rowReader) byte() byte {
	c := r.s[r.pos]
	r.pos++
	return c
}

func (r *rowReader) uvarint() uint64 {
	var u uint64
	for shift := uint(0); ; shift += 7 {
		c := r.byte()
		u |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return u
		}
	}
}

func (r *rowReader) str() string {
	n := int(r.uvarint())
	s := r.s[r.pos : r.pos+n]
	r.pos += n
	return s
}

// name reads a member's name reference: the property's position (-1 for
// other keys) and the name.
func (r *rowReader) name(rc *rowCodec) (int, string) {
	ref := r.uvarint()
	if ref == 0 {
		return -1, r.str()
	}
	i := int(ref - 1)
	return i, rc.names[i]
}

// value decodes the next value. Strings share the row's memory (rows never
// change); everything else is new.
func (r *rowReader) value() any {
	switch tag := r.byte(); tag {
	case tagNull:
		return nil
	case tagFalse:
		return false
	case tagTrue:
		return true
	case tagInt:
		u := r.uvarint()
		return int64(u>>1) ^ -int64(u&1)
	case tagFloat:
		s := r.s[r.pos : r.pos+8]
		r.pos += 8
		return math.Float64frombits(uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56)
	case tagString, tagPlain:
		return r.str()
	case tagBytes:
		return []byte(r.str())
	case tagTime:
		var t time.Time
		if err := t.UnmarshalBinary([]byte(r.str())); err != nil {
			panic("memory: corrupt time in a stored row: " + err.Error())
		}
		return t
	case tagArray:
		out := make([]any, r.uvarint())
		for i := range out {
			out[i] = r.value()
		}
		return out
	case tagObject:
		n := int(r.uvarint())
		out := make(map[string]any, n)
		for range n {
			k := r.str()
			out[k] = r.value()
		}
		return out
	default:
		panic(fmt.Sprintf("memory: corrupt stored row: tag %d", tag))
	}
}

// skip moves past the next value.
func (r *rowReader) skip() {
	switch tag := r.byte(); tag {
	case tagNull, tagFalse, tagTrue:
	case tagInt:
		r.uvarint()
	case tagFloat:
		r.pos += 8
	case tagString, tagPlain, tagBytes, tagTime:
		r.pos += int(r.uvarint())
		if r.pos > len(r.s) {
			panic("memory: corrupt stored row: truncated value")
		}
	case tagArray:
		for n := r.uvarint(); n > 0; n-- {
			r.skip()
		}
	case tagObject:
		for n := r.uvarint(); n > 0; n-- {
			r.str()
			r.skip()
		}
	default:
		panic(fmt.Sprintf("memory: corrupt stored row: tag %d", tag))
	}
}

// decode returns the record row encodes: a new map the caller owns.
func (rc *rowCodec) decode(row string) connector.Record {
	r := rowReader{s: row}
	rec := make(connector.Record, int(r.uvarint()))
	for r.more() {
		_, name := r.name(rc)
		rec[name] = r.value()
	}
	return rec
}

// memberSet is a set of member names, by property position for the
// properties of the codec's definition.
type memberSet struct {
	props []bool
	other []string // names that are not properties
	n     int      // members in the set
}

// set returns the set of names (duplicates allowed); exclude makes it the
// complement: every member but those.
func (rc *rowCodec) set(names []string, exclude bool) *memberSet {
	s := &memberSet{props: make([]bool, len(rc.names))}
	for _, name := range names {
		if i, ok := rc.index[name]; ok {
			if !s.props[i] {
				s.props[i] = true
				s.n++
			}
		} else if !slices.Contains(s.other, name) {
			s.other = append(s.other, name)
			s.n++
		}
	}
	if exclude {
		for i := range s.props {
			s.props[i] = !s.props[i]
		}
		s.n = -1 // unbounded: other keys are all in
	}
	return s
}

func (s *memberSet) has(i int, name string, exclude bool) bool {
	if i >= 0 {
		return s.props[i]
	}
	return slices.Contains(s.other, name) != exclude
}

// decodeSome decodes the members of row in s (or, with exclude, not in
// s) into rec, which the caller clears between rows, and returns rec.
func (rc *rowCodec) decodeSome(rec connector.Record, row string, s *memberSet, exclude bool) connector.Record {
	r := rowReader{s: row}
	r.uvarint()
	found := 0
	for r.more() && (exclude || found < s.n) {
		i, name := r.name(rc)
		if s.has(i, name, exclude) {
			rec[name] = r.value()
			found++
		} else {
			r.skip()
		}
	}
	return rec
}

// field returns the value of one member of row.
func (rc *rowCodec) field(row, name string) (any, bool) {
	r := rowReader{s: row}
	r.uvarint()
	for r.more() {
		_, n := r.name(rc)
		if n == name {
			return r.value(), true
		}
		r.skip()
	}
	return nil, false
}

// appendJSON appends row as a JSON object without its hidden members,
// written exactly as the REST layer writes a record (see
// [jsonw.AppendValue]): members in row order, which is LoopBack's.
func (rc *rowCodec) appendJSON(b []byte, row string) ([]byte, error) {
	r := rowReader{s: row}
	r.uvarint()
	b = append(b, '{')
	first := true
	// next is the first property position not written yet: nullable
	// properties the row does not hold are written as null in their place.
	next := 0
	for r.more() {
		i, name := r.name(rc)
		if i >= 0 && rc.hidden[i] || i < 0 && rc.def.IsHidden(name) {
			r.skip()
			continue
		}
		if i >= 0 && r.s[r.pos] == tagNull && !rc.nullable[i] {
			// A property that is not nullable and has no value is left
			// out, as on every connector.
			r.pos++
			continue
		}
		if rc.anyNullable {
			upTo := len(rc.names)
			if i >= 0 {
				upTo = i
			}
			b, first = rc.appendNulls(b, first, next, upTo)
			next = max(next, upTo+1)
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		if i >= 0 {
			b = append(b, rc.keys[i]...)
		} else {
			b = append(jsonw.AppendString(b, name), ':')
		}
		switch r.s[r.pos] {
		case tagNull:
			r.pos++
			b = append(b, "null"...)
		case tagFalse:
			r.pos++
			b = append(b, "false"...)
		case tagTrue:
			r.pos++
			b = append(b, "true"...)
		case tagString:
			r.pos++
			b = jsonw.AppendString(b, r.str())
		case tagPlain:
			r.pos++
			b = append(b, '"')
			b = append(b, r.str()...)
			b = append(b, '"')
		case tagInt:
			r.pos++
			u := r.uvarint()
			b = jsonw.AppendInt(b, int64(u>>1)^-int64(u&1))
		default:
			var err error
			if b, err = jsonw.AppendValue(b, r.value()); err != nil {
				return nil, fmt.Errorf("property %q: %w", name, err)
			}
		}
	}
	if rc.anyNullable {
		b, _ = rc.appendNulls(b, first, next, len(rc.names))
	}
	return append(b, '}'), nil
}

// appendNulls writes "name":null for the nullable properties at positions
// from to upTo (excluded), which the row does not hold.
func (rc *rowCodec) appendNulls(b []byte, first bool, from, upTo int) ([]byte, bool) {
	for j := from; j < upTo; j++ {
		if !rc.nullable[j] {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, rc.keys[j]...)
		b = append(b, "null"...)
	}
	return b, first
}
