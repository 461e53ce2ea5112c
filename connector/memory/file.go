package memory

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/loopback-go/lb/model"
)

// dbFile is LoopBack's memory connector file: the next id of each model
// and each instance as a JSON string, keyed by model name and id.
type dbFile struct {
	IDs    map[string]float64           `json:"ids"`
	Models map[string]map[string]string `json:"models"`
}

// maxFileSize bounds the data file New is willing to read.
const maxFileSize = 1 << 30

// loadFile reads a data file: its models and its key-value data (entries
// expired at now are left out); a file that does not exist is an empty
// store.
func loadFile(path string, now time.Time) (map[string]*table, map[string]map[string]*kvEntry, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return make(map[string]*table), make(map[string]map[string]*kvEntry), nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("memory: read %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, nil, fmt.Errorf("memory: read %s: file larger than %d bytes", path, maxFileSize)
	}
	tables, err := parseDB(data)
	if err != nil {
		return nil, nil, fmt.Errorf("memory: load %s: %w", path, err)
	}
	kv, err := parseKV(data, now)
	if err != nil {
		return nil, nil, fmt.Errorf("memory: load %s: %w", path, err)
	}
	return tables, kv, nil
}

// parseDB decodes the db.json format. Instances stay in their decoded JSON
// form until the model's definition is known (see table.adopt).
func parseDB(data []byte) (map[string]*table, error) {
	tables := make(map[string]*table)
	if len(bytes.TrimSpace(data)) == 0 {
		return tables, nil
	}
	var f dbFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	get := func(name string) *table {
		t := tables[name]
		if t == nil {
			t = newTable(name)
			tables[name] = t
		}
		return t
	}
	for name, next := range f.IDs {
		if next != math.Trunc(next) || next < 1 || next > 1<<53 {
			return nil, fmt.Errorf("ids.%s: %v is not a positive integer", name, next)
		}
		get(name).next = int64(next)
	}
	for name, rows := range f.Models {
		t := get(name)
		t.raw = make(map[string]map[string]any, len(rows))
		for key, s := range rows {
			var obj map[string]any
			if err := json.Unmarshal([]byte(s), &obj); err != nil {
				return nil, fmt.Errorf("models.%s.%s: %w", name, key, err)
			}
			if obj == nil {
				return nil, fmt.Errorf("models.%s.%s: not an object", name, key)
			}
			t.raw[key] = obj
			if n, ok := fileKey(key).(int64); ok && n >= t.next && n < math.MaxInt64 {
				t.next = n + 1
			}
		}
	}
	return tables, nil
}

// decodeRecord converts an instance decoded from JSON to record values
// using def (model.Normalize: integers to int64, dates to time.Time,
// buffers to []byte, recursively); Node's Buffer form {"type": "Buffer",
// "data": [...]} is accepted for buffers. A value that does not fit its
// property is kept as decoded rather than lost.
func decodeRecord(def *model.Definition, raw map[string]any) map[string]any {
	out := make(map[string]any, len(raw))
	for k, v := range raw {
		if p := def.Property(k); p != nil && p.Type == model.Buffer {
			if b, ok := nodeBuffer(v); ok {
				v = b
			}
		}
		if n, err := model.Normalize(def, map[string]any{k: v}); err == nil {
			v = n[k]
		}
		out[k] = v
	}
	return out
}

// nodeBuffer decodes Node's Buffer.toJSON form.
func nodeBuffer(v any) ([]byte, bool) {
	m, ok := v.(map[string]any)
	if !ok || m["type"] != "Buffer" {
		return nil, false
	}
	arr, ok := m["data"].([]any)
	if !ok {
		return nil, false
	}
	b := make([]byte, 0, len(arr))
	for _, e := range arr {
		n, ok := e.(float64)
		if !ok || n < 0 || n > 255 || n != math.Trunc(n) {
			return nil, false
		}
		b = append(b, byte(n))
	}
	return b, true
}

// encodeDB writes the store in the db.json format. It runs under the read
// lock.
func (c *Connector) encodeDB() ([]byte, error) {
	names := make([]string, 0, len(c.tables))
	for name := range c.tables {
		names = append(names, name)
	}
	slices.Sort(names)
	var b bytes.Buffer
	b.WriteString("{\n  \"ids\": {")
	for i, name := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		writeString(&b, name)
		b.WriteString(": ")
		b.WriteString(strconv.FormatInt(c.tables[name].next, 10))
	}
	b.WriteString("\n  },\n  \"models\": {")
	for i, name := range names {
		t := c.tables[name]
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		writeString(&b, name)
		b.WriteString(": {")
		t.adoptMu.Lock()
		n, err := t.writeEntries(&b)
		t.adoptMu.Unlock()
		if err != nil {
			return nil, fmt.Errorf("%s %w", name, err)
		}
		if n > 0 {
			b.WriteString("\n    ")
		}
		b.WriteByte('}')
	}
	b.WriteString("\n  }")
	if err := c.encodeKV(&b); err != nil {
		return nil, err
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}

// writeEntries writes the instances of t in key order as the entries of
// its models object and returns how many. Entries of adopted rows are
// cached until the row changes, so that a file write re-encodes only what
// changed. It runs with t.adoptMu held and the store's read lock: only one
// file writer runs at a time, and changes (which clear cache entries) take
// the write lock.
func (t *table) writeEntries(b *bytes.Buffer) (int, error) {
	n := 0
	sep := func() {
		if n > 0 {
			b.WriteByte(',')
		}
		n++
	}
	if t.def == nil {
		keys := make([]string, 0, len(t.raw))
		for k := range t.raw {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int { return keyCompare(fileKey(a), fileKey(b)) })
		for _, k := range keys {
			line, err := entry(k, t.raw[k], nil)
			if err != nil {
				return n, err
			}
			sep()
			b.WriteString(line)
		}
		return n, nil
	}
	if t.enc == nil {
		t.enc = make(map[any]string, t.idx.len())
	}
	for i := range t.idx.len() {
		k := t.idx.keyAt(i)
		line, ok := t.enc[k]
		if !ok {
			var err error
			if line, err = entry(keyString(k), t.rc.decode(t.idx.rowAt(i)), t.def); err != nil {
				return n, err
			}
			t.enc[k] = line
		}
		sep()
		b.WriteString(line)
	}
	return n, nil
}

// entry encodes one instance as its line in a models object: the key, and
// the instance's JSON as a JSON string.
func entry(key string, rec map[string]any, def *model.Definition) (string, error) {
	var row, b bytes.Buffer
	if err := encodeRecord(&row, def, rec); err != nil {
		return "", fmt.Errorf("%s: %w", key, err)
	}
	b.WriteString("\n      ")
	writeString(&b, key)
	b.WriteString(": ")
	writeString(&b, row.String())
	return b.String(), nil
}

func writeString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s)
	b.Write(enc)
}

// encodeRecord writes one instance as a JSON object: the definition's
// properties in declaration order, then other keys sorted.
func encodeRecord(b *bytes.Buffer, def *model.Definition, rec map[string]any) error {
	b.WriteByte('{')
	n := 0
	field := func(k string, v any) error {
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		writeString(b, k)
		b.WriteByte(':')
		return encodeValue(b, v)
	}
	var seen map[string]bool
	if def != nil {
		seen = make(map[string]bool, len(def.Properties))
		for _, p := range def.Properties {
			if v, ok := rec[p.Name]; ok {
				seen[p.Name] = true
				if err := field(p.Name, v); err != nil {
					return err
				}
			}
		}
	}
	if len(seen) < len(rec) {
		rest := make([]string, 0, len(rec)-len(seen))
		for k := range rec {
			if !seen[k] {
				rest = append(rest, k)
			}
		}
		slices.Sort(rest)
		for _, k := range rest {
			if err := field(k, rec[k]); err != nil {
				return err
			}
		}
	}
	b.WriteByte('}')
	return nil
}

// encodeValue writes a record value as JSON: dates as JavaScript's
// toJSON does (UTC, milliseconds), buffers as base64.
func encodeValue(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case time.Time:
		b.WriteByte('"')
		b.WriteString(x.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
		b.WriteByte('"')
		return nil
	case []byte:
		b.WriteByte('"')
		b.WriteString(base64.StdEncoding.EncodeToString(x))
		b.WriteByte('"')
		return nil
	case map[string]any:
		return encodeRecord(b, nil, x)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encodeValue(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b.WriteString("null")
			return nil
		}
	}
	enc, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.Write(enc)
	return nil
}
