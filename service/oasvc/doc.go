// Package oasvc calls services described by an OpenAPI 3.0 or 3.1
// document (LoopBack's OpenAPI connector): the document — a file, a URL
// ([Open]) or bytes ([New]) — makes every operation with an operationId
// callable by that id, untyped ([Service.Call]) or as a typed Go function
// ([Bind]), under the timeouts, retries and circuit breaker of package
// service.
//
//	pets, err := oasvc.Open(ctx, "https://petstore.example/openapi.json", oasvc.Config{Name: "petstore"})
//	getPet := oasvc.MustBind[GetPetIn, Pet](pets, "getPetById")
//	pet, err := getPet(ctx, GetPetIn{PetID: 7})
//
// # Arguments
//
// Arguments are named as the operation's parameters (path, query, header
// and cookie parameters, the path item's included); the JSON request body
// is the argument "requestBody" ([BodyArg]). Path parameters are
// path-escaped, arrays in the query are repeated (form, explode) unless the
// parameter says explode: false, objects are sent as JSON.
//
// # Validation
//
// Before anything is sent, the arguments are checked against the
// document: required parameters and body, the parameters' and body's
// schemas (JSON Schema 2020-12; a 3.0 document is converted first, so
// nullable works), and no unknown argument. A failing call is a 400 with
// code INVALID_SERVICE_ARGUMENTS whose details list every problem in
// LoopBack's (AJV's) shape, paths starting at the argument
// ("/requestBody/name"). With Config.ValidateResponses, 2xx JSON answers
// are checked against the operation's response schema for their status
// (or 2XX, or default), and one that fails is a malformed answer: 502.
//
// # Upstream failures
//
// As in package service: 502 for an error status, an unreachable upstream
// or a malformed answer, 504 when no answer came in time, 503 while the
// breaker is open; GET, HEAD, OPTIONS, PUT and DELETE are retried, POST
// and PATCH are not.
package oasvc
