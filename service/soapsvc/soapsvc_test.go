package soapsvc_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/service"
	"github.com/loopback-go/lb/service/soapsvc"
)

const (
	env11 = "http://schemas.xmlsoap.org/soap/envelope/"
	env12 = "http://www.w3.org/2003/05/soap-envelope"
	calc  = "http://example.org/calc"
)

// calculator is a SOAP endpoint for testdata/calculator.wsdl, in SOAP 1.1
// or 1.2. It checks the request envelope strictly (namespaces, element
// order, the action) and answers Add, Divide, and a fault for a division
// by zero; mode "html" answers an HTML error page, "slow" nothing.
type calculator struct {
	*httptest.Server
	soap12 bool
	hits   atomic.Int32
	mode   atomic.Value
}

type request struct {
	XMLName xml.Name
	Body    struct {
		Add *struct {
			XMLName xml.Name
			A       int        `xml:"http://example.org/calc intA"`
			B       int        `xml:"http://example.org/calc intB"`
			Order   []xml.Name `xml:",any"`
		} `xml:"http://example.org/calc Add"`
		Divide *struct {
			Dividend int `xml:"http://example.org/calc dividend"`
			Divisor  int `xml:"http://example.org/calc divisor"`
		} `xml:"http://example.org/calc Divide"`
	} `xml:"Body"`
}

func newCalculator(t *testing.T, soap12 bool) *calculator {
	t.Helper()
	c := &calculator{soap12: soap12}
	c.mode.Store("")
	envNS := env11
	if soap12 {
		envNS = env12
	}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.RawQuery == "wsdl" {
			w.Write(wsdl(t, soap12))
			return
		}
		c.hits.Add(1)
		body, _ := io.ReadAll(r.Body) // read first: then the server sees the client go away
		switch c.mode.Load() {
		case "html":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(503)
			io.WriteString(w, "<html><body>down for maintenance</body></html>")
			return
		case "slow":
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
			return
		}
		ct := r.Header.Get("Content-Type")
		action := r.Header.Get("SOAPAction")
		if soap12 {
			if !strings.HasPrefix(ct, "application/soap+xml") {
				http.Error(w, "bad content type "+ct, 415)
				return
			}
			_, a, _ := strings.Cut(ct, "action=")
			action = a
		} else if !strings.HasPrefix(ct, "text/xml") {
			http.Error(w, "bad content type "+ct, 415)
			return
		}
		var req request
		if err := xml.Unmarshal(body, &req); err != nil || req.XMLName.Space != envNS {
			http.Error(w, fmt.Sprintf("bad envelope %v %s", err, body), 400)
			return
		}
		reply := func(inner string) {
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			fmt.Fprintf(w, `<?xml version="1.0"?><soap:Envelope xmlns:soap="%s"><soap:Body>%s</soap:Body></soap:Envelope>`, envNS, inner)
		}
		switch {
		case req.Body.Add != nil:
			if action != `"http://example.org/calc/Add"` {
				http.Error(w, "bad action "+action, 400)
				return
			}
			reply(fmt.Sprintf(`<AddResponse xmlns="%s"><AddResult>%d</AddResult></AddResponse>`, calc, req.Body.Add.A+req.Body.Add.B))
		case req.Body.Divide != nil:
			if req.Body.Divide.Divisor == 0 {
				w.WriteHeader(500)
				if soap12 {
					reply(`<soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">Attempted to divide by zero.</soap:Text></soap:Reason></soap:Fault>`)
				} else {
					reply(`<soap:Fault><faultcode>soap:Client</faultcode><faultstring>Attempted to divide by zero.</faultstring></soap:Fault>`)
				}
				return
			}
			reply(fmt.Sprintf(`<DivideResponse xmlns="%s"><DivideResult>%d</DivideResult></DivideResponse>`, calc, req.Body.Divide.Dividend/req.Body.Divide.Divisor))
		default:
			http.Error(w, "unknown operation "+string(body), 400)
		}
	}))
	t.Cleanup(c.Close)
	return c
}

func wsdl(t *testing.T, soap12 bool) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/calculator.wsdl")
	if err != nil {
		t.Fatal(err)
	}
	if soap12 {
		data = []byte(strings.ReplaceAll(string(data), "http://schemas.xmlsoap.org/wsdl/soap/", "http://schemas.xmlsoap.org/wsdl/soap12/"))
	}
	return data
}

var fast = service.Policy{Timeout: 2 * time.Second, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

type AddIn struct {
	A int `xml:"intA"`
	B int `xml:"intB"`
}

type AddOut struct {
	Result int `xml:"AddResult"`
}

func TestParseWSDL(t *testing.T) {
	w, err := soapsvc.ParseWSDL(wsdl(t, false))
	if err != nil {
		t.Fatal(err)
	}
	add := w.Operations["Add"]
	if w.Endpoint != "http://calc.example.org/calculator.asmx" || w.SOAP12 || add == nil || add.Action != "http://example.org/calc/Add" ||
		add.Input != (xml.Name{Space: calc, Local: "Add"}) || add.Output != (xml.Name{Space: calc, Local: "AddResponse"}) ||
		strings.Join(add.InputFields, ",") != "intA,intB" || !add.InputQualified {
		t.Errorf("Add: got %+v (endpoint %s); want the WSDL's operation", add, w.Endpoint)
	}
	if got := strings.Join(w.Operations["Divide"].InputFields, ","); got != "dividend,divisor" {
		t.Errorf("Divide fields (a named complex type): got %s; want dividend,divisor", got)
	}
	w12, err := soapsvc.ParseWSDL(wsdl(t, true))
	if err != nil || !w12.SOAP12 {
		t.Errorf("SOAP 1.2 WSDL: got (%v, %v); want SOAP12", w12, err)
	}
	for name, doc := range map[string]string{
		"not xml":      "<",
		"not wsdl":     `<a/>`,
		"no port":      `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"/>`,
		"rpc only":     strings.ReplaceAll(string(wsdl(t, false)), `style="document"`, `style="rpc"`),
		"encoded only": strings.ReplaceAll(string(wsdl(t, false)), `use="literal"`, `use="encoded"`),
	} {
		if _, err := soapsvc.ParseWSDL([]byte(doc)); err == nil {
			t.Errorf("%s: got nil; want an error", name)
		}
	}
}

func TestCalls(t *testing.T) {
	for _, soap12 := range []bool{false, true} {
		t.Run(fmt.Sprintf("soap12=%v", soap12), func(t *testing.T) {
			c := newCalculator(t, soap12)
			s, err := soapsvc.Open(context.Background(), c.URL+"?wsdl", soapsvc.Config{Name: "calculator", Endpoint: c.URL, Policy: fast})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			add := soapsvc.MustBind[AddIn, AddOut](s, "Add")
			if got, err := add(ctx, AddIn{A: 2, B: 40}); err != nil || got.Result != 42 {
				t.Errorf("Add (typed): got (%v, %v); want 42", got, err)
			}
			var m map[string]any
			if err := s.Call(ctx, "Divide", map[string]any{"divisor": 4, "dividend": 20}, &m); err != nil || m["DivideResult"] != "5" {
				t.Errorf("Divide (map, keys out of order): got (%v, %v); want DivideResult 5", m, err)
			}
			err = s.Call(ctx, "Divide", map[string]any{"dividend": 1, "divisor": 0}, &m)
			fe, ok := errors.AsType[*fault.Error](err)
			if !ok || fe.Kind != fault.BadGateway || strings.Contains(fe.Message, "divide by zero") {
				t.Fatalf("fault: got %v; want a 502 without the fault string in its message", err)
			}
			se, _ := service.AsError(err)
			wantCode := "soap:Client"
			if soap12 {
				wantCode = "soap:Sender"
			}
			if se == nil || se.Code != wantCode || se.Message != "Attempted to divide by zero." || se.Status != 500 {
				t.Errorf("fault: got %+v; want code %s and the fault string", se, wantCode)
			}
			if !se.Blame {
				t.Errorf("a %s fault: Blame false; want true (it blames the request)", wantCode)
			}
			for range 6 {
				s.Call(ctx, "Divide", map[string]any{"dividend": 1, "divisor": 0}, &m)
			}
			if s.Caller().BreakerOpen() {
				t.Error("breaker open after client faults; want closed")
			}
			before := c.hits.Load()
			err = s.Call(ctx, "Divide", map[string]any{"dividend": 1, "nope": 2}, &m)
			if !errors.Is(err, fault.BadRequest) || c.hits.Load() != before {
				t.Errorf("unknown element: got %v (%d requests); want a 400 and nothing sent", err, c.hits.Load()-before)
			}
		})
	}
}

func TestUpstreamFailures(t *testing.T) {
	c := newCalculator(t, false)
	p := fast
	p.Timeout = 100 * time.Millisecond
	s, err := soapsvc.New(soapsvc.Config{Name: "calculator", WSDL: wsdl(t, false), Endpoint: c.URL, Policy: p, Idempotent: []string{"Add"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c.mode.Store("html")
	before := c.hits.Load()
	err = s.Call(ctx, "Add", AddIn{1, 2}, &AddOut{})
	if se, ok := service.AsError(err); !errors.Is(err, fault.BadGateway) || !ok || se.Status != 503 {
		t.Errorf("HTML error page: got %v; want a 502 with status 503", err)
	}
	if n := c.hits.Load() - before; n != 3 {
		t.Errorf("idempotent Add on a 503: %d attempts; want 3", n)
	}
	before = c.hits.Load()
	s.Call(ctx, "Divide", map[string]any{"dividend": 1, "divisor": 1}, nil)
	if n := c.hits.Load() - before; n != 1 {
		t.Errorf("Divide (not idempotent) on a 503: %d attempts; want 1", n)
	}
	c.mode.Store("slow")
	if err := s.Call(ctx, "Divide", map[string]any{"dividend": 1, "divisor": 1}, nil); !errors.Is(err, fault.GatewayTimeout) {
		t.Errorf("slow endpoint: got %v; want a 504", err)
	}
	// A 200 that is not an envelope is malformed.
	junk := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html/>") }))
	defer junk.Close()
	s2, _ := soapsvc.New(soapsvc.Config{Name: "calculator", WSDL: wsdl(t, false), Endpoint: junk.URL, Policy: fast})
	if se, ok := service.AsError(s2.Call(ctx, "Add", AddIn{1, 2}, &AddOut{})); !ok || !se.Malformed {
		t.Errorf("junk answer: got %+v; want malformed", se)
	}
	c.mode.Store("")
	if _, err := soapsvc.Open(ctx, c.URL+"?nope", soapsvc.Config{Name: "c"}); err == nil {
		t.Error("Open of a URL that does not serve the WSDL: got nil; want an error")
	}
	if _, err := soapsvc.Open(ctx, "testdata/missing.wsdl", soapsvc.Config{Name: "c"}); err == nil {
		t.Error("Open of a missing file: got nil; want an error")
	}
	if _, err := soapsvc.New(soapsvc.Config{Name: "c", WSDL: wsdl(t, false), Idempotent: []string{"Nope"}}); err == nil {
		t.Error("New with an unknown idempotent operation: got nil; want an error")
	}
}
