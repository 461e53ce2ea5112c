// Package num converts the numbers found in decoded JSON, records and
// driver results (every Go integer and float kind, and json.Number) to
// float64 and int64. It is the one place where the framework decides what
// counts as a number and when a number is an integer; packages add only
// what is theirs (strings from a query string or a driver, booleans).
package num

import (
	"encoding/json"
	"math"
	"strconv"
)

// Float returns v as a float64 when v is a Go number of any kind or a
// json.Number that parses as a finite float64. A json.Number too large
// for float64 is not a number here; callers that must accept it say so
// themselves.
func Float(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil
	case float32:
		return float64(x), true
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint8:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return 0, false
}

// Int returns v as an int64 when v is a Go integer that fits, a float
// with no fractional part inside int64's range, or a json.Number that is
// one of those. It reports false for every other value, fractional
// numbers included.
func Int(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case float64:
		return fromFloat(x)
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return n, true
		}
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return 0, false
		}
		return fromFloat(f)
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case uint:
		return fromUint(uint64(x))
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		return fromUint(x)
	case float32:
		return fromFloat(float64(x))
	}
	return 0, false
}

func fromFloat(f float64) (int64, bool) {
	if f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

func fromUint(u uint64) (int64, bool) {
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}
