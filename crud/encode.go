package crud

import (
	"encoding/json"
	"slices"
	"unicode/utf8"

	"github.com/loopback-go/lb/model"
)

// encoder writes records as JSON objects with their properties in the
// model's declaration order, as LoopBack does, leaving out hidden
// properties. Keys that are not properties (non-strict models) follow in
// sorted order. Everything that depends on the model only is computed
// once, by newEncoder.
type encoder struct {
	def   *model.Definition
	names []string // visible properties in declaration order
	keys  [][]byte // names[i] as a JSON string followed by ':'
	known map[string]bool
}

func newEncoder(def *model.Definition) *encoder {
	e := &encoder{def: def, known: map[string]bool{}}
	for _, p := range def.Properties {
		e.known[p.Name] = true
		if !def.IsHidden(p.Name) {
			e.names = append(e.names, p.Name)
			e.keys = append(e.keys, append(appendString(nil, p.Name), ':'))
		}
	}
	return e
}

// record returns rec as a JSON object.
func (e *encoder) record(rec map[string]any) (json.RawMessage, error) {
	return e.appendRecord(make([]byte, 0, 256), rec)
}

// records returns recs as a JSON array of objects.
func (e *encoder) records(recs []map[string]any) (json.RawMessage, error) {
	return encodedRecords{e, recs}.AppendJSON(make([]byte, 0, 64+len(recs)*160))
}

// encodedRecords are records the REST layer encodes into its pooled
// buffer (see rest.JSONAppender): a JSON array of objects.
type encodedRecords struct {
	e    *encoder
	recs []map[string]any
}

// AppendJSON appends the records as a JSON array.
func (r encodedRecords) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, '[')
	var err error
	for i, rec := range r.recs {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = r.e.appendRecord(b, rec); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// encodedRecord is one record the REST layer encodes into its pooled
// buffer: a JSON object.
type encodedRecord struct {
	e   *encoder
	rec map[string]any
}

// AppendJSON appends the record as a JSON object.
func (r encodedRecord) AppendJSON(b []byte) ([]byte, error) { return r.e.appendRecord(b, r.rec) }

// appendRecord writes rec as a JSON object.
func (e *encoder) appendRecord(b []byte, rec map[string]any) ([]byte, error) {
	b = append(b, '{')
	first := true
	seen := 0
	var err error
	for i, name := range e.names {
		if seen == len(rec) {
			break // every member written: skip the lookups of the rest
		}
		v, ok := rec[name]
		if !ok {
			continue
		}
		seen++
		if !first {
			b = append(b, ',')
		}
		b = append(b, e.keys[i]...)
		if b, err = appendValue(b, v); err != nil {
			return nil, err
		}
		first = false
	}
	if seen < len(rec) {
		if b, err = e.appendExtra(b, first, rec); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendExtra writes the members of rec that are not properties of the
// model, in sorted order, leaving out hidden ones.
func (e *encoder) appendExtra(b []byte, first bool, rec map[string]any) ([]byte, error) {
	var extra []string
	for k := range rec {
		if !e.known[k] && !e.def.IsHidden(k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	var err error
	for _, k := range extra {
		if b, err = appendMember(b, first, k, rec[k]); err != nil {
			return nil, err
		}
		first = false
	}
	return b, nil
}

// appendMember writes "name":value, preceded by a comma unless first.
func appendMember(b []byte, first bool, name string, v any) ([]byte, error) {
	if !first {
		b = append(b, ',')
	}
	b = appendString(b, name)
	b = append(b, ':')
	return appendValue(b, v)
}

// appendValue writes v as JSON: scalars directly, anything else through
// encoding/json (which writes float64 the way JavaScript does).
func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, x), nil
	case bool:
		if x {
			return append(b, "true"...), nil
		}
		return append(b, "false"...), nil
	case int64:
		return appendInt(b, x), nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, raw...), nil
}

func appendInt(b []byte, n int64) []byte {
	if n == 0 {
		return append(b, '0')
	}
	var tmp [20]byte
	i := len(tmp)
	u := uint64(n)
	if n < 0 {
		u = uint64(-n)
	}
	for u > 0 {
		i--
		tmp[i] = byte('0' + u%10)
		u /= 10
	}
	if n < 0 {
		b = append(b, '-')
	}
	return append(b, tmp[i:]...)
}

const hexDigits = "0123456789abcdef"

// plainASCII tells the ASCII bytes a JSON string holds as they are: not a
// control character, a quote or a backslash.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendString writes s as a JSON string the way JSON.stringify does: only
// quotes, backslashes and control characters are escaped; invalid UTF-8
// becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// rawJSON appends tail to b and returns it as a JSON result.
func rawJSON(b []byte, tail ...byte) json.RawMessage { return append(b, tail...) }
