package config_test

import (
	"fmt"

	"github.com/loopback-go/lb/config"
)

func Example() {
	doc := []byte(`{"rest": {"host": "127.0.0.1", "port": 3000}}`)
	cfg, err := config.Parse(doc, false, config.Options{Env: func(k string) (string, bool) {
		if k == "LB_REST_PORT" {
			return "8080", true
		}
		return "", false
	}})
	if err != nil {
		panic(err)
	}
	var rest struct {
		Host string `json:"host"`
		Port int    `json:"port"`
	}
	fmt.Println(config.Bind(cfg, "rest", &rest), rest.Host, rest.Port)

	bad, _ := config.Parse([]byte(`{"rest": {"prot": 3000}}`), false, config.Options{})
	fmt.Println(config.Bind(bad, "rest", &rest))
	// Output:
	// <nil> 127.0.0.1 8080
	// config: rest.prot: unknown key
}
