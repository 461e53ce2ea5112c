// Package restsvc calls REST services through LoopBack's operation
// templates (loopback-connector-rest): a service is declared once, in Go
// ([Config]) or as a LoopBack datasource JSON document ([Load]), and its
// functions are called as typed Go functions ([Bind]) or by name with
// positional arguments ([Service.Invoke]), under the timeouts, retries
// and circuit breaker of package service.
//
// # Templates
//
// Each operation has a [Template] (method, url, query, headers, body or
// form, responsePath) and the functions that use it, each with the names
// of its arguments:
//
//	{
//	  "name": "geocoder", "connector": "rest",
//	  "options": {"headers": {"accept": "application/json"}, "timeout": 2000},
//	  "operations": [{
//	    "template": {
//	      "method": "GET",
//	      "url": "https://geocoding.geo.census.gov/geocoder/locations/onelineaddress",
//	      "query": {"format": "{format=json}", "benchmark": "Public_AR_Current", "address": "{address}"},
//	      "responsePath": "$.result.addressMatches[*].coordinates"
//	    },
//	    "functions": {"geocode": ["address"]}
//	  }]
//	}
//
// Variables are LoopBack's: {name}, {!name} or {^name} (required),
// {name=default}, {name:type} (string, number, integer, boolean). A string
// that is exactly one variable takes the argument's value and type; an
// optional variable without a value leaves its query parameter, header or
// body member out; variables in the URL are path-escaped. A
// responsePath ($, .name, ['name'], [n], [*], .*) makes the answer the
// list of what it selects, as LoopBack's jsonpath does.
//
// # Calls and errors
//
// A call with a missing required argument, a value of the wrong type or a
// header value with a line break is a 400 (INVALID_SERVICE_ARGUMENTS) and
// sends nothing. Upstream failures are the 502/504/503 errors of package
// service: an answer outside 2xx, one that is not JSON or is larger than
// Config.MaxResponseBytes, no answer in time, an open breaker. GET, HEAD,
// OPTIONS, PUT and DELETE calls are retried (Template.Idempotent
// overrides this); POST and PATCH are not.
package restsvc
