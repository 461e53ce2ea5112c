package soapsvc_test

import (
	"fmt"

	"github.com/loopback-go/lb/service/soapsvc"
)

func ExampleParseWSDL() {
	w, err := soapsvc.ParseWSDL([]byte(`<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
	    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema"
	    xmlns:tns="urn:hello" targetNamespace="urn:hello">
	  <types><xs:schema targetNamespace="urn:hello" elementFormDefault="qualified">
	    <xs:element name="Hello"><xs:complexType><xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
	    <xs:element name="HelloResponse"><xs:complexType><xs:sequence><xs:element name="greeting" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
	  </xs:schema></types>
	  <message name="In"><part name="p" element="tns:Hello"/></message>
	  <message name="Out"><part name="p" element="tns:HelloResponse"/></message>
	  <portType name="P"><operation name="Hello"><input message="tns:In"/><output message="tns:Out"/></operation></portType>
	  <binding name="B" type="tns:P"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
	    <operation name="Hello"><soap:operation soapAction="urn:hello#Hello"/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
	  </binding>
	  <service name="S"><port name="Port" binding="tns:B"><soap:address location="https://hello.example/soap"/></port></service>
	</definitions>`))
	if err != nil {
		fmt.Println(err)
		return
	}
	op := w.Operations["Hello"]
	fmt.Println(w.Endpoint, op.Action, op.Input.Local, op.InputFields, op.Output.Local)
	// Output: https://hello.example/soap urn:hello#Hello Hello [name] HelloResponse
}
