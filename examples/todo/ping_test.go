package main

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestPingDocument checks that GET /ping is described from its Go
// response type, named as LoopBack's PingController names it.
func TestPingDocument(t *testing.T) {
	base := start(t, config{Host: "127.0.0.1"})
	status, _, body := do(t, base, step{method: "GET", path: "/openapi.json"})
	if status != 200 {
		t.Fatalf("GET /openapi.json: %d", status)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string   `json:"operationId"`
			Tags        []string `json:"tags"`
			Responses   map[string]struct {
				Description string `json:"description"`
				Content     map[string]struct {
					Schema struct {
						Ref string `json:"$ref"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Type       any                        `json:"type"`
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	op := doc.Paths["/ping"]["get"]
	if op.OperationID != "PingController.ping" || !reflect.DeepEqual(op.Tags, []string{"PingController"}) {
		t.Errorf("GET /ping: got operationId %q tags %v; want PingController.ping [PingController]", op.OperationID, op.Tags)
	}
	res := op.Responses["200"]
	if res.Description != "Ping Response" || res.Content["application/json"].Schema.Ref != "#/components/schemas/PingResponse" {
		t.Errorf("GET /ping 200: got %+v; want Ping Response referencing PingResponse", res)
	}
	props := doc.Components.Schemas["PingResponse"].Properties
	for _, name := range []string{"greeting", "date", "url", "headers"} {
		if props[name] == nil {
			t.Errorf("PingResponse: no property %s in %v", name, props)
		}
	}
	if _, ok := doc.Paths["/"]; ok {
		t.Error("the home page is in the document; want static files left out")
	}
}
