package filter

import (
	"errors"
	"fmt"
	"regexp/syntax"
	"strings"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/internal/jsonmsg"
	"github.com/loopback-go/lb/internal/validate"
)

// InvalidPattern returns the 400 error of a condition whose pattern is not
// a valid regular expression, for connectors that turn like or regexp
// patterns into expressions of their own: code INVALID_PARAMETER_VALUE, a
// message naming the condition, and one detail at ptr, the condition's
// JSON pointer (see [PointerEscape]). A regexp/syntax error in err gives
// the reason; any other error reads "it does not compile". The pattern is echoed up
// to jsonmsg's cap.
func InvalidPattern(ptr, pattern string, err error) error {
	reason := "it does not compile"
	var se *syntax.Error
	if errors.As(err, &se) {
		reason = string(se.Code)
	}
	msg := fmt.Sprintf("must be a valid regular expression: %q: %s", jsonmsg.Excerpt(pattern), reason)
	e := fault.New(fault.BadRequest, CodeInvalid,
		"Invalid filter: "+strings.ReplaceAll(strings.TrimPrefix(ptr, "/"), "/", ".")+" "+msg+".")
	e.Details = []validate.Detail{{Path: ptr, Code: "format", Message: msg, Info: map[string]any{"format": "regex"}}}
	return e
}

// PointerEscape escapes a property path for use as one JSON pointer
// segment ("~" as "~0", "/" as "~1").
func PointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
