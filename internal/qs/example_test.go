package qs_test

import (
	"encoding/json"
	"fmt"

	"github.com/loopback-go/lb/internal/qs"
)

func ExampleParse() {
	values, _ := qs.Values("filter[where][title]=x&filter[limit]=2&filter[order][0]=title%20DESC&tags[]=a&tags[]=b")
	b, _ := json.Marshal(qs.Parse(values))
	fmt.Println(string(b))
	// Output: {"filter":{"limit":"2","order":["title DESC"],"where":{"title":"x"}},"tags":["a","b"]}
}

func ExampleValues() {
	// "100%" and "a%zz" do not decode: they are kept as sent, as LoopBack's
	// query parser keeps them (net/url would drop both pairs).
	values, _ := qs.Values("where[title]=100%&where[desc]=a%zz&where[tag]=x%20y")
	b, _ := json.Marshal(qs.Parse(values))
	fmt.Println(string(b))
	// Output: {"where":{"desc":"a%zz","tag":"x y","title":"100%"}}
}
