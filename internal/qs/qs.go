package qs

import (
	"net/url"
	"slices"
	"strconv"
)

// The limits of qs's defaults.
const (
	// Depth is the number of bracket segments parsed in a key.
	Depth = 5
	// ArrayLimit is the largest index that makes an array element.
	ArrayLimit = 20
	// ParameterLimit is the number of parameters [Values] accepts.
	ParameterLimit = 1000
)

// hole marks an unset index of an array while it is being built; holes are
// removed before Parse returns.
type hole struct{}

// Parse decodes values in the nested query-string form. The result holds
// only string, []any and map[string]any values; it is never nil. Every
// value is kept: bound the input first ([Values] does).
func Parse(values url.Values) map[string]any {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	var result any = map[string]any{}
	for _, k := range keys {
		vs := values[k]
		if k == "" || len(vs) == 0 {
			continue
		}
		var leaf any
		if len(vs) == 1 {
			leaf = vs[0]
		} else {
			arr := make([]any, len(vs))
			for i, v := range vs {
				arr[i] = v
			}
			leaf = arr
		}
		obj := parseKey(k, leaf)
		if obj == nil {
			continue
		}
		if arr, ok := obj.([]any); ok {
			obj = arrayToObject(arr)
		}
		result = merge(result, obj)
	}
	m, _ := compact(result).(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

// segments splits key into its parent and at most Depth bracket segments,
// with the rest of the key as one last bracketed segment, as qs does.
func segments(key string) []string {
	var chain []string
	first, _ := nextSegment(key, 0)
	if first < 0 {
		return []string{key}
	}
	if first > 0 {
		chain = append(chain, key[:first])
	}
	pos := 0
	for i := 0; ; i++ {
		start, end := nextSegment(key, pos)
		if start < 0 {
			break
		}
		if i == Depth {
			chain = append(chain, "["+key[start:]+"]")
			break
		}
		chain = append(chain, key[start:end])
		pos = end
	}
	return chain
}

// nextSegment finds the next "[...]" without nested brackets at or after
// pos; it returns its bounds, or -1 when there is none.
func nextSegment(key string, pos int) (start, end int) {
	start = -1
	for i := pos; i < len(key); i++ {
		switch key[i] {
		case '[':
			start = i
		case ']':
			if start >= 0 {
				return start, i + 1
			}
		}
	}
	return -1, -1
}

// parseKey builds the nested value for one key, from the leaf up.
func parseKey(key string, leaf any) any {
	chain := segments(key)
	for i := len(chain) - 1; i >= 0; i-- {
		root := chain[i]
		if root == "[]" {
			if arr, ok := leaf.([]any); ok {
				leaf = slices.Clone(arr)
			} else {
				leaf = []any{leaf}
			}
			continue
		}
		clean := root
		bracketed := len(root) >= 2 && root[0] == '[' && root[len(root)-1] == ']'
		if bracketed {
			clean = root[1 : len(root)-1]
		}
		if bracketed {
			if idx, ok := arrayIndex(clean); ok {
				arr := make([]any, idx+1)
				for j := range idx {
					arr[j] = hole{}
				}
				arr[idx] = leaf
				leaf = arr
				continue
			}
		}
		leaf = map[string]any{clean: leaf}
	}
	return leaf
}

// arrayIndex reports whether s is a canonical non-negative integer not above
// ArrayLimit ("01" is not: String(parseInt("01")) != "01").
func arrayIndex(s string) (int, bool) {
	if s == "" || len(s) > 3 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > ArrayLimit || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

func isObject(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

// merge merges source into target as qs's utils.merge does.
func merge(target, source any) any {
	if _, ok := source.(hole); ok || source == nil {
		return target
	}
	if !isObject(source) {
		switch t := target.(type) {
		case []any:
			return append(t, source)
		case map[string]any:
			if s, ok := source.(string); ok {
				if _, exists := t[s]; !exists {
					t[s] = "true"
				}
			}
			return t
		default:
			return []any{target, source}
		}
	}
	if !isObject(target) {
		if arr, ok := source.([]any); ok {
			return append([]any{target}, arr...)
		}
		return []any{target, source}
	}
	tArr, tIsArr := target.([]any)
	sArr, sIsArr := source.([]any)
	if tIsArr && sIsArr {
		for i, item := range sArr {
			if _, ok := item.(hole); ok {
				continue
			}
			if i < len(tArr) {
				if _, isHole := tArr[i].(hole); !isHole {
					if isObject(tArr[i]) && isObject(item) {
						tArr[i] = merge(tArr[i], item)
					} else {
						tArr = append(tArr, item)
					}
					continue
				}
				tArr[i] = item
				continue
			}
			for len(tArr) < i {
				tArr = append(tArr, hole{})
			}
			tArr = append(tArr, item)
		}
		return tArr
	}
	var dst map[string]any
	if tIsArr {
		dst = arrayToObject(tArr)
	} else {
		dst = target.(map[string]any)
	}
	put := func(k string, v any) {
		if old, ok := dst[k]; ok {
			dst[k] = merge(old, v)
		} else {
			dst[k] = v
		}
	}
	if sIsArr {
		for i, v := range sArr {
			if _, ok := v.(hole); !ok {
				put(strconv.Itoa(i), v)
			}
		}
	} else {
		for k, v := range source.(map[string]any) {
			put(k, v)
		}
	}
	return dst
}

// arrayToObject turns an array into an object keyed by index, skipping holes.
func arrayToObject(arr []any) map[string]any {
	m := make(map[string]any, len(arr))
	for i, v := range arr {
		if _, ok := v.(hole); !ok {
			m[strconv.Itoa(i)] = v
		}
	}
	return m
}

// compact removes holes from arrays, recursively.
func compact(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = compact(e)
		}
		return t
	case []any:
		out := t[:0]
		for _, e := range t {
			if _, ok := e.(hole); ok {
				continue
			}
			out = append(out, compact(e))
		}
		return out
	}
	return v
}
