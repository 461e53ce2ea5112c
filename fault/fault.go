// Package fault defines the kinds of errors the framework's layers return,
// so that each layer can say what went wrong without knowing about HTTP.
//
// The REST layer maps kinds to status codes in exactly one place; every
// other package returns a *Error (usually wrapped with %w) or a plain error,
// which becomes a 500.
//
//	return fault.New(fault.NotFound, "ENTITY_NOT_FOUND", "Entity not found: Todo with id 99")
//
//	if errors.Is(err, fault.NotFound) { ... }
package fault

import "errors"

// Kind classifies an error. Kinds compare with errors.Is: errors.Is(err,
// fault.NotFound) is true when err wraps an *Error of that kind.
type Kind int

// The kinds, with the HTTP status the REST layer maps them to.
const (
	Internal       Kind = iota // 500
	BadRequest                 // 400: a malformed request, filter or parameter
	Unauthorized               // 401
	Forbidden                  // 403
	NotFound                   // 404
	Conflict                   // 409: duplicate id, unique or foreign-key violation
	TooLarge                   // 413
	Unsupported                // 415
	Invalid                    // 422: the data fails validation
	NotImplemented             // 501
	Unavailable                // 503: a data source is down or timed out
	BadGateway                 // 502: an upstream service failed or answered badly
	GatewayTimeout             // 504: an upstream service did not answer in time
)

var kindNames = [...]string{"internal", "bad request", "unauthorized", "forbidden", "not found",
	"conflict", "too large", "unsupported media type", "invalid", "not implemented", "unavailable",
	"bad gateway", "gateway timeout"}

// String names the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Error makes a Kind usable as an errors.Is target.
func (k Kind) Error() string { return k.String() }

// Error is an error of a known kind. Code, Name and Details are optional and
// are sent to clients as the LoopBack error body's code, name and details.
type Error struct {
	Kind    Kind
	Code    string // machine-readable code, e.g. "ENTITY_NOT_FOUND"
	Name    string // overrides the default name for the status ("Error", "ValidationError")
	Message string
	Details any
	Err     error // the cause, if any
}

// New returns an *Error of kind with a code and a message.
func New(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// Wrap returns an *Error of kind whose cause is err; its message is err's.
func Wrap(kind Kind, err error) *Error {
	return &Error{Kind: kind, Message: err.Error(), Err: err}
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is e's Kind.
func (e *Error) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && k == e.Kind
}

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}
