package soapsvc

import (
	"encoding/xml"
	"os"
	"testing"
)

// FuzzParseWSDL checks that any document is read or refused without a
// panic, and that what is read is usable.
func FuzzParseWSDL(f *testing.F) {
	if data, err := os.ReadFile("testdata/calculator.wsdl"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := ParseWSDL(data)
		if err != nil {
			return
		}
		if len(w.Operations) == 0 {
			t.Fatal("a parsed WSDL without operations")
		}
		for name, op := range w.Operations {
			if op == nil || op.Name != name {
				t.Fatalf("operation %q: %+v", name, op)
			}
		}
	})
}

// FuzzDecodeResponse checks that any answer is decoded or refused without
// a panic, into a map and into a struct.
func FuzzDecodeResponse(f *testing.F) {
	for _, s := range []string{
		`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><AddResponse xmlns="urn:c"><AddResult>3</AddResult></AddResponse></soap:Body></soap:Envelope>`,
		`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><x/></soap:Header><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>no</faultstring></soap:Fault></soap:Body></soap:Envelope>`,
		`<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value>x</e:Value></e:Subcode></e:Code><e:Reason><e:Text>r</e:Text></e:Reason></e:Fault></e:Body></e:Envelope>`,
		`<html/>`,
	} {
		f.Add(200, []byte(s))
		f.Add(500, []byte(s))
	}
	out := xml.Name{Space: "urn:c", Local: "AddResponse"}
	f.Fuzz(func(t *testing.T, status int, data []byte) {
		var m map[string]any
		_ = decodeResponse(status, data, out, &m)
		var s struct {
			Result string `xml:"AddResult"`
		}
		_ = decodeResponse(status, data, out, &s)
	})
}
