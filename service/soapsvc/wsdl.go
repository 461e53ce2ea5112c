package soapsvc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
)

// The namespaces a WSDL 1.1 document uses.
const (
	nsWSDL    = "http://schemas.xmlsoap.org/wsdl/"
	nsSOAP11  = "http://schemas.xmlsoap.org/wsdl/soap/"
	nsSOAP12  = "http://schemas.xmlsoap.org/wsdl/soap12/"
	nsXSD     = "http://www.w3.org/2001/XMLSchema"
	maxWSDL   = 8 << 20
	maxFields = 10000
)

// WSDL is what a WSDL 1.1 document says about its document/literal SOAP
// operations: where to send them and the elements of their messages.
type WSDL struct {
	// TargetNamespace is the document's target namespace.
	TargetNamespace string
	// Operations are the operations of the first SOAP port (1.1 or 1.2),
	// by name.
	Operations map[string]*Operation
	// Endpoint is the port's soap:address location.
	Endpoint string
	// SOAP12 is set when the port's binding is SOAP 1.2.
	SOAP12 bool
}

// Operation is one document/literal operation.
type Operation struct {
	Name string
	// Action is the soapAction ("" when none).
	Action string
	// Input and Output are the elements of the input and output message
	// bodies (the message's single part's element).
	Input, Output xml.Name
	// InputFields lists the input element's children in their schema
	// sequence order, when the schema says; InputQualified is set when
	// they are namespace-qualified (elementFormDefault="qualified").
	InputFields    []string
	InputQualified bool
}

// The raw WSDL shapes, as encoding/xml reads them.
type (
	wDefinitions struct {
		TargetNamespace string      `xml:"targetNamespace,attr"`
		Types           wTypes      `xml:"http://schemas.xmlsoap.org/wsdl/ types"`
		Messages        []wMessage  `xml:"http://schemas.xmlsoap.org/wsdl/ message"`
		PortTypes       []wPortType `xml:"http://schemas.xmlsoap.org/wsdl/ portType"`
		Bindings        []wBinding  `xml:"http://schemas.xmlsoap.org/wsdl/ binding"`
		Services        []wService  `xml:"http://schemas.xmlsoap.org/wsdl/ service"`
		Namespaces      []xml.Attr  `xml:",any,attr"`
	}
	wTypes struct {
		Schemas []xSchema `xml:"http://www.w3.org/2001/XMLSchema schema"`
	}
	xSchema struct {
		TargetNamespace    string         `xml:"targetNamespace,attr"`
		ElementFormDefault string         `xml:"elementFormDefault,attr"`
		Elements           []xElement     `xml:"http://www.w3.org/2001/XMLSchema element"`
		ComplexTypes       []xComplexType `xml:"http://www.w3.org/2001/XMLSchema complexType"`
	}
	xElement struct {
		Name        string        `xml:"name,attr"`
		Type        string        `xml:"type,attr"`
		ComplexType *xComplexType `xml:"http://www.w3.org/2001/XMLSchema complexType"`
	}
	xComplexType struct {
		Name     string    `xml:"name,attr"`
		Sequence *xSeq     `xml:"http://www.w3.org/2001/XMLSchema sequence"`
		All      *xSeq     `xml:"http://www.w3.org/2001/XMLSchema all"`
		Content  *xContent `xml:"http://www.w3.org/2001/XMLSchema complexContent"`
	}
	xContent struct {
		Extension *struct {
			Base     string `xml:"base,attr"`
			Sequence *xSeq  `xml:"http://www.w3.org/2001/XMLSchema sequence"`
		} `xml:"http://www.w3.org/2001/XMLSchema extension"`
	}
	xSeq struct {
		Elements []xElement `xml:"http://www.w3.org/2001/XMLSchema element"`
	}
	wMessage struct {
		Name  string  `xml:"name,attr"`
		Parts []wPart `xml:"http://schemas.xmlsoap.org/wsdl/ part"`
	}
	wPart struct {
		Name    string `xml:"name,attr"`
		Element string `xml:"element,attr"`
		Type    string `xml:"type,attr"`
	}
	wPortType struct {
		Name       string `xml:"name,attr"`
		Operations []struct {
			Name   string `xml:"name,attr"`
			Input  wIO    `xml:"http://schemas.xmlsoap.org/wsdl/ input"`
			Output wIO    `xml:"http://schemas.xmlsoap.org/wsdl/ output"`
		} `xml:"http://schemas.xmlsoap.org/wsdl/ operation"`
	}
	wIO struct {
		Message string `xml:"message,attr"`
	}
	wBinding struct {
		Name       string      `xml:"name,attr"`
		Type       string      `xml:"type,attr"`
		SOAP11     *wSOAPBind  `xml:"http://schemas.xmlsoap.org/wsdl/soap/ binding"`
		SOAP12     *wSOAPBind  `xml:"http://schemas.xmlsoap.org/wsdl/soap12/ binding"`
		Operations []wBindOper `xml:"http://schemas.xmlsoap.org/wsdl/ operation"`
	}
	wSOAPBind struct {
		Style string `xml:"style,attr"`
	}
	wBindOper struct {
		Name   string     `xml:"name,attr"`
		Op11   *wSOAPOper `xml:"http://schemas.xmlsoap.org/wsdl/soap/ operation"`
		Op12   *wSOAPOper `xml:"http://schemas.xmlsoap.org/wsdl/soap12/ operation"`
		Input  wBindBody  `xml:"http://schemas.xmlsoap.org/wsdl/ input"`
		Output wBindBody  `xml:"http://schemas.xmlsoap.org/wsdl/ output"`
	}
	wSOAPOper struct {
		Action string `xml:"soapAction,attr"`
		Style  string `xml:"style,attr"`
	}
	wBindBody struct {
		Body11 *wBody `xml:"http://schemas.xmlsoap.org/wsdl/soap/ body"`
		Body12 *wBody `xml:"http://schemas.xmlsoap.org/wsdl/soap12/ body"`
	}
	wBody struct {
		Use string `xml:"use,attr"`
	}
	wService struct {
		Name  string `xml:"name,attr"`
		Ports []struct {
			Name    string `xml:"name,attr"`
			Binding string `xml:"binding,attr"`
			Addr11  *wAddr `xml:"http://schemas.xmlsoap.org/wsdl/soap/ address"`
			Addr12  *wAddr `xml:"http://schemas.xmlsoap.org/wsdl/soap12/ address"`
		} `xml:"http://schemas.xmlsoap.org/wsdl/ port"`
	}
	wAddr struct {
		Location string `xml:"location,attr"`
	}
)

// ParseWSDL reads a WSDL 1.1 document. It takes the first port of the
// first service whose binding is SOAP 1.1 or 1.2 and keeps that binding's
// document/literal operations; rpc-style or encoded operations are left
// out. Imports (wsdl:import, xsd:import) are not followed. QNames resolve
// with the namespace prefixes declared on the definitions element.
func ParseWSDL(data []byte) (*WSDL, error) {
	if len(data) > maxWSDL {
		return nil, fmt.Errorf("wsdl: document larger than %d bytes", maxWSDL)
	}
	var d wDefinitions
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var root xml.StartElement
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("wsdl: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			root = se
			break
		}
	}
	if root.Name.Space != nsWSDL || root.Name.Local != "definitions" {
		return nil, fmt.Errorf("wsdl: the root element is %s, not wsdl:definitions", root.Name.Local)
	}
	if err := dec.DecodeElement(&d, &root); err != nil {
		return nil, fmt.Errorf("wsdl: %w", err)
	}
	prefixes := map[string]string{}
	for _, a := range root.Attr {
		if a.Name.Space == "xmlns" {
			prefixes[a.Name.Local] = a.Value
		} else if a.Name.Space == "" && a.Name.Local == "xmlns" {
			prefixes[""] = a.Value
		}
	}
	qname := func(s string) xml.Name {
		p, local, ok := strings.Cut(s, ":")
		if !ok {
			return xml.Name{Space: prefixes[""], Local: s}
		}
		return xml.Name{Space: prefixes[p], Local: local}
	}
	w := &WSDL{TargetNamespace: d.TargetNamespace, Operations: map[string]*Operation{}}

	// The port, its binding and its port type.
	var binding *wBinding
	for _, svc := range d.Services {
		for _, port := range svc.Ports {
			addr := port.Addr11
			if addr == nil {
				addr = port.Addr12
			}
			if addr == nil {
				continue
			}
			bn := qname(port.Binding).Local
			for i := range d.Bindings {
				if d.Bindings[i].Name == bn && (d.Bindings[i].SOAP11 != nil || d.Bindings[i].SOAP12 != nil) {
					binding = &d.Bindings[i]
					w.Endpoint = addr.Location
					w.SOAP12 = binding.SOAP12 != nil
					break
				}
			}
			if binding != nil {
				break
			}
		}
		if binding != nil {
			break
		}
	}
	if binding == nil {
		return nil, errors.New("wsdl: no service port with a SOAP 1.1 or 1.2 binding")
	}
	var pt *wPortType
	ptName := qname(binding.Type).Local
	for i := range d.PortTypes {
		if d.PortTypes[i].Name == ptName {
			pt = &d.PortTypes[i]
		}
	}
	if pt == nil {
		return nil, fmt.Errorf("wsdl: binding %s: port type %s is not defined", binding.Name, ptName)
	}
	bindStyle := ""
	if binding.SOAP11 != nil {
		bindStyle = binding.SOAP11.Style
	} else {
		bindStyle = binding.SOAP12.Style
	}
	messages := map[string]*wMessage{}
	for i := range d.Messages {
		messages[d.Messages[i].Name] = &d.Messages[i]
	}
	element := func(msg string) (xml.Name, bool) {
		m := messages[qname(msg).Local]
		if m == nil || len(m.Parts) != 1 || m.Parts[0].Element == "" {
			return xml.Name{}, false
		}
		return qname(m.Parts[0].Element), true
	}
	schemas := d.Types.Schemas
	for _, bo := range binding.Operations {
		so := bo.Op11
		if so == nil {
			so = bo.Op12
		}
		style := bindStyle
		if so != nil && so.Style != "" {
			style = so.Style
		}
		if style == "rpc" || !literal(bo.Input) || !literal(bo.Output) {
			continue
		}
		for _, po := range pt.Operations {
			if po.Name != bo.Name {
				continue
			}
			in, ok1 := element(po.Input.Message)
			out, ok2 := element(po.Output.Message)
			if !ok1 || !ok2 {
				break
			}
			op := &Operation{Name: bo.Name, Input: in, Output: out}
			if so != nil {
				op.Action = so.Action
			}
			op.InputFields, op.InputQualified = fieldsOf(schemas, in, qname)
			w.Operations[op.Name] = op
		}
	}
	if len(w.Operations) == 0 {
		return nil, errors.New("wsdl: no document/literal operation")
	}
	return w, nil
}

// literal reports whether a binding input or output uses literal bodies
// (the default when soap:body says nothing).
func literal(b wBindBody) bool {
	body := b.Body11
	if body == nil {
		body = b.Body12
	}
	return body == nil || body.Use == "" || body.Use == "literal"
}

// fieldsOf returns the child element names of the global element name,
// in sequence order, and whether they are qualified.
func fieldsOf(schemas []xSchema, name xml.Name, qname func(string) xml.Name) ([]string, bool) {
	for _, s := range schemas {
		if s.TargetNamespace != name.Space {
			continue
		}
		for _, e := range s.Elements {
			if e.Name != name.Local {
				continue
			}
			ct := e.ComplexType
			if ct == nil && e.Type != "" {
				ct = complexType(schemas, qname(e.Type))
			}
			return sequence(schemas, ct, qname, 0), s.ElementFormDefault == "qualified"
		}
	}
	return nil, false
}

func complexType(schemas []xSchema, name xml.Name) *xComplexType {
	for _, s := range schemas {
		if s.TargetNamespace != name.Space {
			continue
		}
		for i := range s.ComplexTypes {
			if s.ComplexTypes[i].Name == name.Local {
				return &s.ComplexTypes[i]
			}
		}
	}
	return nil
}

// sequence lists a complex type's element names: those of its base first
// (complexContent extension), then its sequence or all.
func sequence(schemas []xSchema, ct *xComplexType, qname func(string) xml.Name, depth int) []string {
	if ct == nil || depth > 32 {
		return nil
	}
	var out []string
	seq := ct.Sequence
	if seq == nil {
		seq = ct.All
	}
	if ct.Content != nil && ct.Content.Extension != nil {
		out = append(out, sequence(schemas, complexType(schemas, qname(ct.Content.Extension.Base)), qname, depth+1)...)
		if ct.Content.Extension.Sequence != nil {
			seq = ct.Content.Extension.Sequence
		}
	}
	if seq != nil {
		for _, e := range seq.Elements {
			if len(out) < maxFields {
				out = append(out, e.Name)
			}
		}
	}
	return out
}
