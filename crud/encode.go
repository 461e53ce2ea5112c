package crud

import (
	"encoding/json"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/repository"
)

// encoder writes records as JSON objects through the repository of their
// model (repository.Model.AppendJSON): properties in the model's
// declaration order, as LoopBack does, hidden ones left out, other keys
// (non-strict models, included relations written by their own model's
// repository) in sorted order after them.
type encoder struct{ repo *repository.Model }

func newEncoder(repo *repository.Model) *encoder { return &encoder{repo: repo} }

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
	return e.repo.AppendJSON(b, rec)
}

// rawJSON appends tail to b and returns it as a JSON result.
func rawJSON(b []byte, tail ...byte) json.RawMessage { return append(b, tail...) }
