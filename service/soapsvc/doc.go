// Package soapsvc calls SOAP services described by a WSDL 1.1 document
// (LoopBack's SOAP connector), built on encoding/xml alone: a small WSDL
// reader for document/literal operations over SOAP 1.1 and 1.2, request
// envelopes, and answers and faults.
//
//	calc, err := soapsvc.Open(ctx, "https://calc.example/calculator.asmx?wsdl", soapsvc.Config{Name: "calculator"})
//	add := soapsvc.MustBind[AddIn, AddOut](calc, "Add")
//	sum, err := add(ctx, AddIn{A: 2, B: 40})
//
// # What the WSDL reader takes
//
// [ParseWSDL] follows the first service port with a SOAP 1.1 or 1.2
// binding to its port type and messages, and keeps the operations that
// are document style with literal bodies and whose input and output
// messages have one part naming an element. From the embedded XML
// schemas it reads the input element's child names in sequence order
// (inline or named complex types, complexContent extensions) and the
// schema's elementFormDefault. It does not follow wsdl:import or
// xsd:import, does not type-check values, and resolves QNames with the
// prefixes declared on wsdl:definitions. rpc style and encoded use are
// left out.
//
// # Requests
//
// The input element is written in its namespace, with qualified children
// when the schema says so. Arguments are a struct, encoded with
// encoding/xml as the element's children, or a map[string]any written in
// the schema's sequence order (a key the schema does not list is a 400
// and nothing is sent). SOAP 1.1 requests carry the SOAPAction header and
// text/xml; SOAP 1.2 requests application/soap+xml with the action
// parameter.
//
// # Answers and faults
//
// The output element is decoded into a struct with encoding/xml, or into
// a map[string]any (children by local name, leaf text as strings,
// repeated children as lists). A SOAP 1.1 or 1.2 fault is a 502 whose
// wrapped *service.Error carries the fault code (1.2: Code/Value, with
// "/Subcode" when present) and the fault string (1.2: the first
// Reason/Text) for logs and handlers; neither reaches the client. Client
// and Sender faults blame the request (Blame): they do not count against
// the circuit breaker. An
// answer that is not a SOAP envelope is a 502 (malformed, or the HTTP
// status when it is not 2xx). Calls are tried once unless listed in
// Config.Idempotent.
package soapsvc
