package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"html"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/internal/jsonmsg"
)

// StatusOf returns the HTTP status for a fault kind. It is the one place where
// kinds become statuses: BadRequest 400, Unauthorized 401, Forbidden 403,
// NotFound 404, Conflict 409, TooLarge 413, Unsupported 415, Invalid 422,
// NotImplemented 501, BadGateway 502, Unavailable 503, GatewayTimeout 504
// and everything else 500.
func StatusOf(k fault.Kind) int {
	switch k {
	case fault.BadRequest:
		return http.StatusBadRequest
	case fault.Unauthorized:
		return http.StatusUnauthorized
	case fault.Forbidden:
		return http.StatusForbidden
	case fault.NotFound:
		return http.StatusNotFound
	case fault.Conflict:
		return http.StatusConflict
	case fault.TooLarge:
		return http.StatusRequestEntityTooLarge
	case fault.Unsupported:
		return http.StatusUnsupportedMediaType
	case fault.Invalid:
		return http.StatusUnprocessableEntity
	case fault.NotImplemented:
		return http.StatusNotImplemented
	case fault.Unavailable:
		return http.StatusServiceUnavailable
	case fault.BadGateway:
		return http.StatusBadGateway
	case fault.GatewayTimeout:
		return http.StatusGatewayTimeout
	}
	return http.StatusInternalServerError
}

// ErrorName returns the error name LoopBack (http-errors) uses for status:
// "BadRequestError" for 400, "NotFoundError" for 404,
// "UnprocessableEntityError" for 422 and so on; "Error" for a status it does
// not know.
func ErrorName(status int) string {
	text := http.StatusText(status)
	if text == "" {
		return "Error"
	}
	switch status {
	case http.StatusRequestEntityTooLarge:
		return "PayloadTooLargeError"
	case http.StatusRequestURITooLong:
		return "URITooLongError"
	case http.StatusTeapot:
		return "ImATeapotError"
	}
	var b strings.Builder
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '-' || r == '\'' }) {
		b.WriteString(strings.ToUpper(w[:1]))
		b.WriteString(w[1:])
	}
	name := b.String()
	if !strings.HasSuffix(name, "Error") {
		name += "Error"
	}
	return name
}

// httpError is an error as the client sees it.
type httpError struct {
	status  int
	name    string
	message string
	code    string
	details any
}

// describe turns any error into what the client is told. A *fault.Error (or a
// wrapped one) gives its kind's status, its code, name and details; an
// *http.MaxBytesError is 413; anything else is 500.
func describe(err error) httpError {
	var fe *fault.Error
	if errors.As(err, &fe) {
		st := StatusOf(fe.Kind)
		name := fe.Name
		if name == "" {
			name = ErrorName(st)
		}
		return httpError{status: st, name: name, message: fe.Message, code: fe.Code, details: fe.Details}
	}
	var se *statusError
	if errors.As(err, &se) {
		return httpError{status: se.status, name: ErrorName(se.status), message: se.message}
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return httpError{status: http.StatusRequestEntityTooLarge, name: "PayloadTooLargeError", message: "request entity too large"}
	}
	return httpError{status: http.StatusInternalServerError, name: "InternalServerError", message: err.Error()}
}

// errorBody is the JSON shape {"error": {...}}; field order is LoopBack's.
type errorBody struct {
	Error errorFields `json:"error"`
}

type errorFields struct {
	StatusCode int    `json:"statusCode"`
	Name       string `json:"name,omitempty"`
	Message    string `json:"message"`
	Code       string `json:"code,omitempty"`
	Details    any    `json:"details,omitempty"`
}

// WriteError writes err as a LoopBack error response: the JSON body
// {"error":{statusCode,name,message,code,details}} (or an HTML or XML page
// when the request's Accept header prefers one), with
// X-Content-Type-Options: nosniff. A 5xx error is logged and, unless
// Config.Debug is set, its message is replaced by the reason phrase and its
// name, code and details are left out. Middleware and handlers that write
// their own responses may call it to answer in the same shape.
//
// An error that is the request's context canceled because the client went
// away is not a 500: it is logged at Info level as "request canceled by
// client" with status 499 (StatusClientClosedRequest), counted in
// Stats.Canceled, and answered with that bare status (a body the client
// cut short is counted and logged the same way, and still answered 400
// "request aborted" in case the client only half-closed). After an error
// response to a request whose body was not read, the rest of the body is
// drained (see Config.MaxDrainSize) so that the client can read the
// response.
func (s *Server) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	if canceledByClient(r, err) {
		s.clientGone(r, err)
		w.WriteHeader(StatusClientClosedRequest) // nobody reads it; access logs see 499
		return
	}
	if abortedByClient(r, err) {
		s.clientGone(r, err)
	}
	e := describe(err)
	if e.status >= 500 {
		s.logger().LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", e.status), slog.String("error", err.Error()))
		if !s.cfg.Debug && !exposed(err) {
			e = httpError{status: e.status, message: http.StatusText(e.status)}
		}
	}
	if e.status == http.StatusRequestTimeout && r.ProtoMajor == 1 {
		w.Header()["Connection"] = []string{"close"} // the rest of the body is not coming
	}
	writeHTTPError(w, r, e)
	s.drain(w, r)
}

func writeHTTPError(w http.ResponseWriter, r *http.Request, e httpError) {
	h := w.Header()
	var body []byte
	switch negotiateError(r.Header.Get("Accept")) {
	case "html":
		h["Content-Type"] = []string{"text/html; charset=utf-8"}
		body = errorHTML(e)
	case "xml":
		h["Content-Type"] = []string{"application/xml; charset=utf-8"}
		body = errorXML(e)
	default:
		h["Content-Type"] = contentTypeJSON
		body = errorJSON(e)
	}
	h["X-Content-Type-Options"] = nosniff
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(e.status)
	if r.Method != http.MethodHead {
		w.Write(body) //nolint:errcheck // the client is gone; nothing to do
	}
}

var (
	contentTypeJSON = []string{"application/json; charset=utf-8"}
	nosniff         = []string{"nosniff"}
)

func errorJSON(e httpError) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(errorBody{errorFields{StatusCode: e.status, Name: e.name, Message: e.message, Code: e.code, Details: e.details}})
	if err != nil {
		// Details that cannot be encoded are dropped rather than losing the error.
		buf.Reset()
		enc.Encode(errorBody{errorFields{StatusCode: e.status, Name: e.name, Message: e.message, Code: e.code}}) //nolint:errcheck
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func errorHTML(e httpError) []byte {
	title := e.name
	if title == "" {
		title = "Error"
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</title>\n</head>\n<body>\n<h1>")
	b.WriteString(strconv.Itoa(e.status))
	b.WriteString(" ")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</h1>\n<p>")
	b.WriteString(html.EscapeString(e.message))
	b.WriteString("</p>\n")
	if e.code != "" {
		b.WriteString("<p>code: ")
		b.WriteString(html.EscapeString(e.code))
		b.WriteString("</p>\n")
	}
	b.WriteString("</body>\n</html>\n")
	return []byte(b.String())
}

func errorXML(e httpError) []byte {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error>")
	b.WriteString("<statusCode>" + strconv.Itoa(e.status) + "</statusCode>")
	if e.name != "" {
		b.WriteString("<name>" + html.EscapeString(e.name) + "</name>")
	}
	b.WriteString("<message>" + html.EscapeString(e.message) + "</message>")
	if e.code != "" {
		b.WriteString("<code>" + html.EscapeString(e.code) + "</code>")
	}
	b.WriteString("</error>\n")
	return []byte(b.String())
}

// negotiateError picks "json", "html" or "xml" from an Accept header: the
// acceptable type with the highest quality wins, earlier entries win ties,
// and JSON is the default.
func negotiateError(accept string) string {
	if accept == "" {
		return "json"
	}
	best, bestQ := "json", -1.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, _ := strings.Cut(part, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.TrimSpace(k) == "q" {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		var kind string
		switch mt {
		case "application/json", "*/*", "application/*":
			kind = "json"
		case "text/html", "application/xhtml+xml":
			kind = "html"
		case "application/xml", "text/xml":
			kind = "xml"
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = kind, q
		}
	}
	return best
}

// Errors the REST layer raises itself, with LoopBack's codes and messages.

func errMissingParam(name string) error {
	return fault.New(fault.BadRequest, "MISSING_REQUIRED_PARAMETER", "Required parameter "+name+" is missing!")
}

// errInvalidParam is LoopBack's 400 for a parameter value; the message
// quotes at most jsonmsg.MaxEcho characters of the value.
func errInvalidParam(name string, value any, details any) error {
	e := fault.New(fault.BadRequest, "INVALID_PARAMETER_VALUE", "Invalid data "+echo(value)+" for parameter \""+jsonmsg.Excerpt(name)+"\".")
	e.Details = details
	return e
}

// errTooManyQueryParams is the 400 for a query string of more parameters
// than LoopBack's query parser reads (qs.ParameterLimit). LoopBack ignores
// the rest, which can drop part of a where; we refuse the request.
func errTooManyQueryParams() error {
	return fault.New(fault.BadRequest, "", "too many parameters")
}

func errMissingBody() error {
	return fault.New(fault.BadRequest, "MISSING_REQUIRED_PARAMETER", "Request body is required")
}

func errSyntax(msg string) error {
	return &fault.Error{Kind: fault.BadRequest, Name: "SyntaxError", Message: msg}
}

func errTooLarge() error {
	return &fault.Error{Kind: fault.TooLarge, Message: "request entity too large"}
}

func errUnsupported(contentType string, allowed []string) error {
	return fault.New(fault.Unsupported, "UNSUPPORTED_MEDIA_TYPE",
		"Content-type "+jsonmsg.Excerpt(contentType)+" does not match ["+strings.Join(allowed, ",")+"].")
}

func errCharset(charset string) error {
	return &fault.Error{Kind: fault.Unsupported, Message: "unsupported charset \"" + jsonmsg.Excerpt(strings.ToUpper(charset)) + "\""}
}

// codeAborted is the code of a request body cut short, raw-body's (the
// module LoopBack's body parser reads bodies with).
const codeAborted = "ECONNABORTED"

func errAborted(err error) error {
	return &fault.Error{Kind: fault.BadRequest, Code: codeAborted, Message: "request aborted", Err: err}
}

// statusError is an error the REST layer answers with a status that no
// fault kind stands for (408).
type statusError struct {
	status  int
	message string
	err     error
}

func (e *statusError) Error() string { return e.message + ": " + e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

func errValidation(details any) error {
	e := fault.New(fault.Invalid, "VALIDATION_FAILED",
		"The request body is invalid. See error object `details` property for more info.")
	e.Details = details
	return e
}

func errEndpointNotFound(method, path string) error {
	return &fault.Error{Kind: fault.NotFound, Message: "Endpoint \"" + jsonmsg.Excerpt(method+" "+path) + "\" not found."}
}

// echo is v as JSON for an error message, cut after jsonmsg.MaxEcho
// characters: a string is cut inside its quotes ("aaa…"), anything else
// after its JSON text's first characters.
func echo(v any) string {
	if s, ok := v.(string); ok {
		return jsonText(jsonmsg.Excerpt(s))
	}
	return jsonmsg.Excerpt(jsonText(v))
}

// jsonText is v as JSON without HTML escaping, as JavaScript's JSON.stringify
// writes it.
func jsonText(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return strconv.Quote(err.Error())
	}
	return strings.TrimSuffix(buf.String(), "\n")
}
