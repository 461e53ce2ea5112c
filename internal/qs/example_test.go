package qs_test

import (
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/loopback-go/lb/internal/qs"
)

func ExampleParse() {
	values, _ := url.ParseQuery("filter[where][title]=x&filter[limit]=2&filter[order][0]=title%20DESC&tags[]=a&tags[]=b")
	b, _ := json.Marshal(qs.Parse(values))
	fmt.Println(string(b))
	// Output: {"filter":{"limit":"2","order":["title DESC"],"where":{"title":"x"}},"tags":["a","b"]}
}
