package validate

import (
	"encoding/json"
	"errors"
	"math"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/loopback-go/lb/internal/num"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The formats follow ajv-formats in its default ("full") mode, which
// LoopBack 4 installs. Formats not listed in formats are checked by the
// jsonschema library when it knows them (duration, uri-reference,
// json-pointer, regex, …), and otherwise ignored (an annotation), as AJV
// does with unknown formats.

// The regular expressions of the format checks, compiled on first use
// rather than at package initialization, which every program that links
// this package would pay at start.
var (
	dateRe      = lazyRegexp(`^(\d\d\d\d)-(\d\d)-(\d\d)$`)
	timeRe      = lazyRegexp(`(?i)^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$`)
	hostLabel   = lazyRegexp(`(?i)^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
	uuidRe      = lazyRegexp(`(?i)^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$`)
	ipv4Re      = lazyRegexp(`^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$`)
	byteRe      = lazyRegexp(`^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$`)
	uriSchemeRe = lazyRegexp(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

// lazyRegexp returns a function that compiles expr on its first call.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// formats returns the format checks registered with the jsonschema
// library: ajv-formats' definitions where they differ from the library's
// (date, time, date-time, email, hostname, uri, uuid, ipv4, ipv6) or the
// library has none (byte, int32, int64). Each accepts values of the types
// it does not apply to, as a format assertion only applies to strings (or,
// for int32 and int64, numbers).
func formats() []*jsonschema.Format {
	str := func(name string, ok func(string) bool) *jsonschema.Format {
		return &jsonschema.Format{Name: name, Validate: func(v any) error {
			if s, isStr := v.(string); isStr && !ok(s) {
				return errFormat
			}
			return nil
		}}
	}
	num := func(name string, ok func(float64, any) bool) *jsonschema.Format {
		return &jsonschema.Format{Name: name, Validate: func(v any) error {
			if f, isNum := number(v); isNum && !ok(f, v) {
				return errFormat
			}
			return nil
		}}
	}
	return []*jsonschema.Format{
		str("date", isDate),
		str("time", isTime),
		str("date-time", isDateTime),
		str("email", isEmail),
		str("hostname", isHostname),
		str("uri", isURI),
		str("uuid", uuidRe().MatchString),
		str("ipv4", ipv4Re().MatchString),
		str("ipv6", isIPv6),
		str("byte", byteRe().MatchString),
		num("int32", func(f float64, _ any) bool {
			return f == math.Trunc(f) && f >= math.MinInt32 && f <= math.MaxInt32
		}),
		num("int64", isInt64),
	}
}

// errFormat is the error of a failed format check; the message of a
// detail is built from the format's name.
var errFormat = errors.New("invalid format")

// number converts a decoded JSON number to float64; a json.Number beyond
// float64's range is ±Inf here, still a number for the format checks.
func number(v any) (float64, bool) {
	if x, ok := v.(json.Number); ok {
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			var ne *strconv.NumError
			if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
				return 0, false
			}
		}
		return f, true
	}
	return num.Float(v)
}

// isInt64 accepts integers; a json.Number must also fit in an int64.
func isInt64(f float64, v any) bool {
	if f != math.Trunc(f) {
		return false
	}
	if s, ok := v.(interface{ String() string }); ok {
		t := s.String()
		if !strings.ContainsAny(t, ".eE") {
			_, err := strconv.ParseInt(t, 10, 64)
			return err == nil
		}
	}
	return f >= -9223372036854775808 && f < 9223372036854775808
}

var daysInMonth = [...]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func isDate(s string) bool {
	m := dateRe().FindStringSubmatch(s)
	if m == nil {
		return false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if mo < 1 || mo > 12 || d < 1 {
		return false
	}
	max := daysInMonth[mo]
	if mo == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		max = 29
	}
	return d <= max
}

func isTime(s string) bool {
	m := timeRe().FindStringSubmatch(s)
	if m == nil {
		return false
	}
	hr, _ := strconv.Atoi(m[1])
	min, _ := strconv.Atoi(m[2])
	sec, _ := strconv.ParseFloat(m[3], 64)
	tzh, _ := strconv.Atoi(m[6])
	tzm, _ := strconv.Atoi(m[7])
	if tzh > 23 || tzm > 59 {
		return false
	}
	if hr <= 23 && min <= 59 && sec < 60 {
		return true
	}
	// A leap second is valid at 23:59:60 UTC.
	sign := 1
	if m[5] == "-" {
		sign = -1
	}
	utcMin := min - sign*tzm
	utcHr := hr - sign*tzh - boolInt(utcMin < 0)
	return (utcHr == 23 || utcHr == -1) && (utcMin == 59 || utcMin == -1) && sec < 61
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func isDateTime(s string) bool {
	i := strings.IndexAny(s, "tT \t\n\r\f\v")
	if i < 0 {
		return false
	}
	return isDate(s[:i]) && isTime(s[i+1:])
}

func isHostname(s string) bool {
	t := strings.TrimSuffix(s, ".")
	if len(t) == 0 || len(t) > 253 {
		return false
	}
	for _, l := range strings.Split(t, ".") {
		if !hostLabel().MatchString(l) {
			return false
		}
	}
	return true
}

func isURI(s string) bool {
	if !uriSchemeRe().MatchString(s) || strings.ContainsAny(s, " \t\n\"<>\\^`{|}") {
		return false
	}
	_, err := url.Parse(s)
	return err == nil
}

func isIPv6(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6() && a.Zone() == ""
}

// isEmail accepts what ajv-formats' full email format accepts: a local
// part of dot-separated atoms of letters, digits and !#$%&'*+/=?^_`{|}~-,
// and a domain of at least two dot-separated labels of letters, digits and
// inner hyphens.
func isEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return false
	}
	prev := byte('.')
	for i := 0; i < at; i++ {
		c := s[i]
		switch {
		case c == '.':
			if prev == '.' {
				return false
			}
		case isAlnum(c) || strings.IndexByte("!#$%&'*+/=?^_`{|}~-", c) >= 0:
		default:
			return false
		}
		prev = c
	}
	if prev == '.' {
		return false
	}
	labels, start := 0, at+1
	for i := at + 1; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			if c := s[i]; !isAlnum(c) && c != '-' {
				return false
			}
			continue
		}
		if i == start || s[start] == '-' || s[i-1] == '-' {
			return false
		}
		labels++
		start = i + 1
	}
	return labels >= 2
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
