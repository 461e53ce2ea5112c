package crud

import (
	"encoding/json"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/internal/jsonw"
	"github.com/loopback-go/lb/model"
)

// encoder writes records as JSON objects with their properties in the
// model's declaration order, as LoopBack does, leaving out hidden
// properties. Keys that are not properties (non-strict models) follow in
// sorted order. Everything that depends on the model only is computed
// once, by newEncoder.
type encoder struct {
	def *model.Definition
	// members writes the members that are not properties, such as
	// included relations (whose instances keep their own model's property
	// order); nil writes them as they are.
	members memberWriter
	names   []string // visible properties in declaration order
	keys    [][]byte // names[i] as a JSON string followed by ':'
	known   map[string]bool
}

// memberWriter is implemented by repositories that write included related
// instances in their model's declared property order
// (repository.Model.AppendMember).
type memberWriter interface {
	AppendMember(b []byte, name string, v any) ([]byte, error)
}

func newEncoder(def *model.Definition, members memberWriter) *encoder {
	e := &encoder{def: def, members: members, known: map[string]bool{}}
	for _, p := range def.Properties {
		e.known[p.Name] = true
		if !def.IsHidden(p.Name) {
			e.names = append(e.names, p.Name)
			e.keys = append(e.keys, append(jsonw.AppendString(nil, p.Name), ':'))
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

// jsonArray is instances a connector writes as JSON itself (see
// jsonFinder), written by the REST layer into its pooled buffer as a JSON
// array.
type jsonArray struct{ rows connector.JSONRows }

// AppendJSON appends the instances as a JSON array.
func (a jsonArray) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, '[')
	var err error
	for i := range a.rows.Len() {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = a.rows.AppendJSON(b, i); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// jsonObject is the one instance of rows, written as a JSON object.
type jsonObject struct{ rows connector.JSONRows }

// AppendJSON appends the instance.
func (o jsonObject) AppendJSON(b []byte) ([]byte, error) { return o.rows.AppendJSON(b, 0) }

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
		if b, err = jsonw.AppendValue(b, v); err != nil {
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
	e.def.SortMembers(extra)
	var err error
	for _, k := range extra {
		if e.members != nil {
			if !first {
				b = append(b, ',')
			}
			b = append(jsonw.AppendString(b, k), ':')
			b, err = e.members.AppendMember(b, k, rec[k])
		} else {
			b, err = appendMember(b, first, k, rec[k])
		}
		if err != nil {
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
	b = jsonw.AppendString(b, name)
	b = append(b, ':')
	return jsonw.AppendValue(b, v)
}

// rawJSON appends tail to b and returns it as a JSON result.
func rawJSON(b []byte, tail ...byte) json.RawMessage { return append(b, tail...) }
