package num

import (
	"encoding/json"
	"math"
	"testing"
)

func TestFloat(t *testing.T) {
	tests := []struct {
		in   any
		want float64
		ok   bool
	}{
		{1.5, 1.5, true},
		{int64(-3), -3, true},
		{7, 7, true},
		{float32(0.5), 0.5, true},
		{uint64(math.MaxUint64), math.MaxUint64, true},
		{int8(-8), -8, true},
		{json.Number("2.25"), 2.25, true},
		{json.Number("1e999"), 0, false},
		{json.Number("x"), 0, false},
		{"1", 0, false},
		{true, 0, false},
		{nil, 0, false},
	}
	for _, tt := range tests {
		got, ok := Float(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("Float(%#v) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestInt(t *testing.T) {
	tests := []struct {
		in   any
		want int64
		ok   bool
	}{
		{int64(math.MaxInt64), math.MaxInt64, true},
		{-4, -4, true},
		{3.0, 3, true},
		{3.5, 0, false},
		{math.Inf(1), 0, false},
		{math.NaN(), 0, false},
		{1e19, 0, false},
		{-9.223372036854775808e18, math.MinInt64, true},
		{float32(2), 2, true},
		{uint64(math.MaxInt64), math.MaxInt64, true},
		{uint64(math.MaxInt64) + 1, 0, false},
		{uint(5), 5, true},
		{json.Number("9007199254740993"), 9007199254740993, true},
		{json.Number("4e2"), 400, true},
		{json.Number("0.5"), 0, false},
		{json.Number("abc"), 0, false},
		{"1", 0, false},
		{false, 0, false},
	}
	for _, tt := range tests {
		got, ok := Int(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("Int(%#v) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
