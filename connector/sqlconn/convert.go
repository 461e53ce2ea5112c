package sqlconn

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/loopback-go/lb/internal/num"
)

// These helpers convert between the values at the connector boundary (nil,
// bool, int64, float64, string, time.Time, []byte, []any, map[string]any)
// and the values SQL drivers take and return. Dialects use them in ToDB and
// FromDB and handle only what their engine does differently.

// AsInt64 coerces v to an int64: integers, integral floats, json.Number and
// decimal strings are accepted.
func AsInt64(v any) (int64, error) {
	if n, ok := num.Int(v); ok {
		return n, nil
	}
	if _, ok := num.Float(v); ok {
		return 0, fmt.Errorf("%v is not an integer", v)
	}
	switch x := v.(type) {
	case json.Number:
		return 0, fmt.Errorf("%s is not a finite number", string(x))
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(x, 64)
			if ferr != nil {
				return 0, fmt.Errorf("%q is not an integer", x)
			}
			return AsInt64(f)
		}
		return n, nil
	case []byte:
		return AsInt64(string(x))
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	}
	return 0, fmt.Errorf("%T is not a number", v)
}

// AsFloat64 coerces v to a float64.
func AsFloat64(v any) (float64, error) {
	if f, ok := num.Float(v); ok {
		return f, nil
	}
	switch x := v.(type) {
	case json.Number:
		return 0, fmt.Errorf("%s is not a finite number", string(x))
	case string:
		f, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", x)
		}
		return f, nil
	case []byte:
		return AsFloat64(string(x))
	}
	return 0, fmt.Errorf("%T is not a number", v)
}

// AsBool coerces v to a bool: booleans, 0/1 and "true"/"false".
func AsBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case int64:
		return x != 0, nil
	case int:
		return x != 0, nil
	case float64:
		return x != 0, nil
	case string:
		b, err := strconv.ParseBool(x)
		if err != nil {
			return false, fmt.Errorf("%q is not a boolean", x)
		}
		return b, nil
	case []byte:
		return AsBool(string(x))
	}
	return false, fmt.Errorf("%T is not a boolean", v)
}

// timeLayouts are the text forms of dates read back from databases.
var timeLayouts = [...]string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

// AsTime coerces v to a time.Time: time values, RFC 3339 strings (and the
// other text forms databases use), and Unix milliseconds.
func AsTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case *time.Time:
		if x != nil {
			return *x, nil
		}
	case string:
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, x); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a date", x)
	case []byte:
		return AsTime(string(x))
	case int64:
		return time.UnixMilli(x).UTC(), nil
	case float64:
		return time.UnixMilli(int64(x)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%T is not a date", v)
}

// AsString coerces v to a string.
func AsString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	case fmt.Stringer:
		return x.String(), nil
	case int64, int, float64, bool:
		return fmt.Sprint(x), nil
	}
	return "", fmt.Errorf("%T is not a string", v)
}

// AsBytes coerces v to bytes: []byte as is, strings as base64 (the wire
// form of LoopBack buffers).
func AsBytes(v any) ([]byte, error) {
	switch x := v.(type) {
	case []byte:
		return x, nil
	case string:
		b, err := base64.StdEncoding.DecodeString(x)
		if err != nil {
			return []byte(x), nil
		}
		return b, nil
	}
	return nil, fmt.Errorf("%T is not binary data", v)
}

// MarshalJSON encodes a JSON column value.
func MarshalJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// UnmarshalJSON decodes a JSON column value read as text or bytes; numbers
// become float64.
func UnmarshalJSON(v any) (any, error) {
	var data []byte
	switch x := v.(type) {
	case string:
		data = []byte(x)
	case []byte:
		data = x
	case int64, float64, bool:
		return x, nil
	default:
		return nil, fmt.Errorf("%T is not JSON text", v)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("decode JSON column: %w", err)
	}
	return out, nil
}

// CommonToDB converts v for column c in the way most engines accept: the
// dialects call it for the kinds they do not treat specially.
//
// A value that already has the type the column takes is returned as it
// is, without boxing it again.
func CommonToDB(c *Column, v any) (any, error) {
	switch c.Kind {
	case KindString:
		if _, ok := v.(string); ok {
			return v, nil
		}
		return AsString(v)
	case KindInt:
		if _, ok := v.(int64); ok {
			return v, nil
		}
		return AsInt64(v)
	case KindFloat, KindDecimal:
		if _, ok := v.(float64); ok {
			return v, nil
		}
		return AsFloat64(v)
	case KindBool:
		if _, ok := v.(bool); ok {
			return v, nil
		}
		return AsBool(v)
	case KindTime:
		t, err := AsTime(v)
		if err != nil {
			return nil, err
		}
		return t.UTC(), nil
	case KindJSON:
		return MarshalJSON(v)
	case KindBytes:
		return AsBytes(v)
	}
	return v, nil
}

// CommonFromDB converts a scanned value of column c to a connector value.
// A value that already has the connector's type is returned as it is (no
// new allocation).
func CommonFromDB(c *Column, v any) (any, error) {
	switch c.Kind {
	case KindString:
		switch x := v.(type) {
		case string:
			return v, nil
		case []byte:
			return string(x), nil
		case time.Time:
			return x.UTC().Format(time.RFC3339Nano), nil
		}
		return AsString(v)
	case KindInt:
		if _, ok := v.(int64); ok {
			return v, nil
		}
		return AsInt64(v)
	case KindFloat, KindDecimal:
		if _, ok := v.(float64); ok {
			return v, nil
		}
		return AsFloat64(v)
	case KindBool:
		if _, ok := v.(bool); ok {
			return v, nil
		}
		return AsBool(v)
	case KindTime:
		if t, ok := v.(time.Time); ok && t.Location() == time.UTC {
			return v, nil
		}
		t, err := AsTime(v)
		if err != nil {
			return nil, err
		}
		return t.UTC(), nil
	case KindJSON:
		return UnmarshalJSON(v)
	case KindBytes:
		switch x := v.(type) {
		case []byte:
			return append([]byte(nil), x...), nil
		case string:
			return []byte(x), nil
		}
		return nil, fmt.Errorf("%T is not binary data", v)
	}
	return v, nil
}
