package auth

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/loopback-go/lb/internal/qs"
)

// FuzzOwnerRestrict rewrites arbitrary query strings: whatever the
// client sent, the filter the REST layer then decodes either is refused
// or keeps the owner condition at the top of its where.
func FuzzOwnerRestrict(f *testing.F) {
	for _, s := range []string{
		"", "filter=%7B%7D", `filter={"where":{"or":[{"ownerId":"bob"}]}}`, "filter[where][ownerId]=bob",
		"filter[where][ownerId][neq]=ann&filter[limit]=2", "filter[where][or][0][ownerId]=bob", "filter.where.ownerId=bob",
		"filter[where]=x", "filter=1&filter[where][a]=b", "filter[where][ownerId][0]=a&filter[where][ownerId][1]=b",
	} {
		f.Add(s)
	}
	o := &Owner{Property: "ownerId"}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		if o.restrict(q, "filter", "ann") != nil {
			return // denied
		}
		vs, err := qs.Values(q.Encode())
		if err != nil {
			return
		}
		form := qs.Parse(vs)
		var where map[string]any
		if text := q.Get("filter"); text != "" {
			var f map[string]any
			if json.Unmarshal([]byte(text), &f) != nil {
				t.Fatalf("%q: rewrote to a filter that does not parse: %s", raw, text)
			}
			where, _ = f["where"].(map[string]any)
			if and, ok := where["and"].([]any); ok && len(and) == 2 {
				where, _ = and[0].(map[string]any)
			}
		} else {
			fl, _ := form["filter"].(map[string]any)
			where, _ = fl["where"].(map[string]any)
		}
		if where["ownerId"] != "ann" {
			t.Fatalf("%q → %q: the where %v lost the owner condition", raw, q.Encode(), where)
		}
	})
}
