package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/internal/jsonmsg"
	"github.com/loopback-go/lb/internal/qs"
	"github.com/loopback-go/lb/openapi"
)

// BodyParser parses a request body of a media type registered with
// (*Server).BodyParser. data is the whole body, already limited to
// Config.MaxBodySize. The value it returns is validated against the
// operation's schema when it is a decoded-JSON-like value (map[string]any,
// []any, string, float64, bool, nil). An error becomes a 400 (or keeps its
// fault kind).
type BodyParser func(ctx context.Context, r *http.Request, data []byte) (any, error)

// BodyParser registers a parser for a media type ("application/x-protobuf").
// It takes precedence over the built-in parsers for that exact type.
func (s *Server) BodyParser(mediaType string, p BodyParser) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.parsers[strings.ToLower(mediaType)] = p
}

// StreamParser is the x-parser value of a request body whose handler reads
// the body itself: the body is not read, and Request.Body is the
// request's body as an io.ReadCloser, still limited to the operation's
// body size (see MaxBodySize).
const StreamParser = "stream"

// body decodes an operation's request body.
type body struct {
	limit    int64 // bytes; 0 means Config.MaxBodySize, negative no limit
	required bool
	stream   bool
	allowed  []string // declared media types, for the 415 message
	media    []*bodyMedia
	prohibit prohibition
	comps    map[string]*openapi.Schema
}

type bodyMedia struct {
	mediaType string // lower case; may hold wildcards (*/*, text/*)
	schema    *openapi.Schema
	check     *validator
}

// newBody compiles a request body description.
func newBody(rb *openapi.RequestBody, comps map[string]*openapi.Schema, prohibit prohibition, eager bool) (*body, error) {
	b := &body{required: rb.Required, prohibit: prohibit, comps: comps}
	if p, _ := rb.Extensions["x-parser"].(string); p == StreamParser {
		b.stream = true
	}
	for mt := range rb.Content {
		b.allowed = append(b.allowed, mt)
	}
	slices.Sort(b.allowed)
	for _, mt := range b.allowed {
		m := rb.Content[mt]
		bm := &bodyMedia{mediaType: strings.ToLower(mt)}
		if m != nil {
			if p, _ := m.Extensions["x-parser"].(string); p == StreamParser {
				b.stream = true
			}
			if m.Schema != nil {
				bm.schema = m.Schema
				v, err := newValidator(m.Schema, comps, "request body ("+mt+")", eager)
				if err != nil {
					return nil, err
				}
				bm.check = v
			}
		}
		b.media = append(b.media, bm)
	}
	return b, nil
}

// find picks the declared media type that accepts mt: exact, then the
// declared wildcards ("text/*", "*/*").
func (b *body) find(mt string) *bodyMedia {
	if len(b.media) == 0 {
		return &bodyMedia{mediaType: mt}
	}
	for _, m := range b.media {
		if m.mediaType == mt {
			return m
		}
	}
	for _, m := range b.media {
		if mediaMatch(m.mediaType, mt) {
			return m
		}
	}
	return nil
}

// mediaMatch reports whether the pattern (possibly "*/*", "text/*" or
// "*/*+json") accepts the media type.
func mediaMatch(pattern, mt string) bool {
	pt, ps, _ := strings.Cut(pattern, "/")
	t, s, _ := strings.Cut(mt, "/")
	if pt != "*" && pt != t {
		return false
	}
	if ps == "*" || ps == s {
		return true
	}
	if suffix, ok := strings.CutPrefix(ps, "*+"); ok {
		return strings.HasSuffix(s, "+"+suffix)
	}
	return false
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// read decodes the body. raw is the body's bytes when it was read (valid
// until release is called); value is the parsed, coerced and validated
// value, or nil when the body is absent and optional.
func (b *body) read(c *call) (value any, raw []byte, release func(), err error) {
	release = func() {}
	r := c.r
	ct := r.Header.Get("Content-Type")
	mt := "application/json"
	charset := ""
	if ct != "" && ct != mt { // the common case needs no parsing
		parsed, params, perr := mime.ParseMediaType(ct)
		if perr != nil {
			return nil, nil, release, errUnsupported(ct, b.allowed)
		}
		mt, charset = parsed, params["charset"]
	}
	m := b.find(mt)
	if m == nil {
		if ct == "" {
			ct = mt
		}
		return nil, nil, release, errUnsupported(ct, b.allowed)
	}
	viaJSON := isJSON(mt) && !b.stream && c.s.parsers[mt] == nil
	if viaJSON && charset != "" && !isUTF8(charset) {
		return nil, nil, release, errCharset(charset)
	}
	if viaJSON && ct == "" && r.ContentLength != 0 {
		// LoopBack's JSON parser does not read a body that has no
		// Content-Type: the operation sees an empty object, which its
		// schema then judges (a model's required properties give 422).
		return b.check(m, map[string]any{}, nil, release)
	}
	limit := b.limit
	if limit == 0 {
		limit = c.s.maxBody
	}
	if limit > 0 && r.ContentLength > limit {
		return nil, nil, release, errTooLarge()
	}
	if b.stream {
		if limit > 0 {
			// Reading past the limit fails with *http.MaxBytesError, which
			// WriteError answers with 413.
			return http.MaxBytesReader(c.w, r.Body, limit), nil, release, nil
		}
		return r.Body, nil, release, nil
	}
	if limit > 0 && r.ContentLength > limit {
		return nil, nil, release, errTooLarge()
	}
	if mt == "multipart/form-data" {
		v, err := readMultipart(r, limit)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, nil, release, c.s.bodyReadError(err)
		}
		if err != nil {
			return nil, nil, release, err
		}
		return v, nil, release, nil
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	release = func() {
		if buf.Cap() <= 1<<20 {
			bufPool.Put(buf)
		}
	}
	var src io.Reader = r.Body
	if limit > 0 && (r.ContentLength < 0 || r.ContentLength > limit) {
		// A body with a Content-Length within the limit cannot exceed it:
		// the server stops reading at that length.
		src = http.MaxBytesReader(c.w, r.Body, limit)
	}
	if _, err := buf.ReadFrom(src); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, nil, release, errTooLarge()
		}
		return nil, nil, release, c.s.bodyReadError(err)
	}
	raw = buf.Bytes()
	if limit > 0 && int64(len(raw)) > limit {
		return nil, nil, release, errTooLarge() // a Content-Length that lied (in-process callers)
	}
	if len(raw) == 0 {
		if b.required {
			return nil, nil, release, errMissingBody()
		}
		return nil, nil, release, nil
	}
	if p := c.s.parsers[mt]; p != nil {
		value, err = p(c, r, raw)
		if err != nil {
			return nil, nil, release, asBadRequest(err)
		}
		return b.check(m, value, nil, release) // typed decoders re-encode the parsed value
	}
	switch {
	case isJSON(mt):
		if at := invalidUTF8(raw); at >= 0 {
			return nil, nil, release, errSyntax("Invalid UTF-8 in JSON at position " + strconv.Itoa(at))
		}
		if at := loneSurrogate(raw); at >= 0 {
			// Go strings cannot hold it: decoding would replace it with U+FFFD.
			return nil, nil, release, errSyntax("Lone surrogate in JSON at position " + strconv.Itoa(at))
		}
		if m, ok := decodeFlatObject(raw); ok {
			value = m
		} else if err := json.Unmarshal(raw, &value); err != nil {
			return nil, nil, release, errSyntax(jsonmsg.Message(err, raw))
		}
		if key := b.prohibit.prohibitedKey(value); key != "" {
			return nil, nil, release, errSyntax("JSON string cannot contain \"" + key + "\" key.")
		}
	case mt == "application/x-www-form-urlencoded":
		// Decoded as body-parser decodes it: nothing dropped, a value whose
		// escapes do not decode kept as sent, and more parameters than
		// its limit a 413.
		vals, err := qs.Values(string(raw))
		if err != nil {
			return nil, nil, release, &fault.Error{Kind: fault.TooLarge, Message: "too many parameters", Err: err}
		}
		form := qs.Parse(vals)
		if key := b.prohibit.prohibitedKey(form); key != "" {
			return nil, nil, release, errSyntax("JSON string cannot contain \"" + key + "\" key.")
		}
		value = coerceTree(map[string]any(form), m.schema, b.comps, 0)
		raw = nil // the typed decoder must re-encode the coerced form
	case strings.HasPrefix(mt, "text/"):
		value = string(raw)
	default:
		value = bytes.Clone(raw)
	}
	return b.check(m, value, raw, release)
}

func (b *body) check(m *bodyMedia, value any, raw []byte, release func()) (any, []byte, func(), error) {
	if _, binary := value.([]byte); m.check != nil && !binary {
		details, err := m.check.validate(value)
		if err != nil {
			return nil, nil, release, err
		}
		if len(details) > 0 {
			return nil, nil, release, errValidation(details)
		}
	}
	return value, raw, release, nil
}

// readMultipart parses a multipart/form-data body into a map of field names
// to values: a string for a plain field, a *File for a file, and a []any
// when a name repeats.
func readMultipart(r *http.Request, limit int64) (map[string]any, error) {
	_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	boundary := params["boundary"]
	if boundary == "" {
		return nil, errSyntax("multipart body without a boundary")
	}
	var src io.Reader = r.Body
	if limit > 0 {
		src = io.LimitReader(r.Body, limit+1)
	}
	mr := multipart.NewReader(src, boundary)
	out := map[string]any{}
	var total int64
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if limit > 0 && total >= limit {
				return nil, errTooLarge()
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return nil, err // 408, judged by the caller
			}
			return nil, errMalformedMultipart(err)
		}
		data, err := io.ReadAll(part)
		total += int64(len(data))
		if limit > 0 && total > limit {
			return nil, errTooLarge()
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, err
		}
		if err != nil {
			return nil, errMalformedMultipart(err)
		}
		var v any = string(data)
		if part.FileName() != "" {
			v = &File{Field: part.FormName(), Name: part.FileName(),
				ContentType: part.Header.Get("Content-Type"), Data: data}
		}
		name := part.FormName()
		switch old := out[name].(type) {
		case nil:
			out[name] = v
		case []any:
			out[name] = append(old, v)
		default:
			out[name] = []any{old, v}
		}
	}
	return out, nil
}

// errMalformedMultipart is the 400 for a multipart body that does not
// parse; Go's reason (which may quote the body) stays in the wrapped error.
func errMalformedMultipart(err error) error {
	return &fault.Error{Kind: fault.BadRequest, Name: "SyntaxError", Message: "malformed multipart body", Err: err}
}

// File is an uploaded file of a multipart/form-data body.
type File struct {
	Field       string `json:"fieldname"`
	Name        string `json:"originalname"`
	ContentType string `json:"mimetype"`
	Data        []byte `json:"-"`
}

// Size is the file's length in bytes.
func (f *File) Size() int { return len(f.Data) }

// asBadRequest gives a plain parser error the kind BadRequest.
func asBadRequest(err error) error {
	var fe *fault.Error
	if errors.As(err, &fe) {
		return err
	}
	return &fault.Error{Kind: fault.BadRequest, Message: err.Error(), Err: err}
}

// isJSON reports whether the JSON parser reads the media type:
// application/json and any */*+json type.
func isJSON(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// isUTF8 reports whether a charset parameter names UTF-8 ("utf-8" or
// "utf8", in any case), the only charset JSON bodies may use.
func isUTF8(charset string) bool {
	return strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "utf8")
}

// invalidUTF8 returns the offset of the first byte of b that is not part of
// a valid UTF-8 sequence, or -1 when b is valid UTF-8.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// loneSurrogate returns the offset of the first \u escape in a JSON string
// of b that is half of a UTF-16 surrogate pair without its other half, or
// -1 when there is none (or b is not JSON enough to tell: the parser then
// reports it).
func loneSurrogate(b []byte) int {
	if !bytes.Contains(b, []byte(`\u`)) {
		return -1
	}
	inString := false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			inString = !inString
		case c == '\\' && inString && i+1 < len(b):
			if b[i+1] != 'u' {
				i++ // a one-character escape
				continue
			}
			r, ok := hex4(b, i+2)
			if !ok {
				return -1
			}
			switch {
			case r >= 0xDC00 && r <= 0xDFFF:
				return i
			case r >= 0xD800 && r <= 0xDBFF:
				if i+7 >= len(b) || b[i+6] != '\\' || b[i+7] != 'u' {
					return i
				}
				if lo, ok := hex4(b, i+8); !ok || lo < 0xDC00 || lo > 0xDFFF {
					return i
				}
				i += 11
			default:
				i += 5
			}
		}
	}
	return -1
}

// hex4 decodes the four hexadecimal digits of b at i.
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
