// Package rest is the HTTP layer of LoopBack for Go, the counterpart of
// @loopback/rest: a Server that routes requests to operations, parses,
// coerces and validates their parameters and bodies, runs them through
// middleware and interceptors, writes results and errors exactly as a
// LoopBack 4 application does, and serves the OpenAPI 3.1 document built
// from its operations.
//
// # Server
//
// New returns a *Server, which is an http.Handler and an lb.Server (Start
// and Stop). Config's zero value is LoopBack's defaults: an ephemeral port
// (read it with URL after Start), a 1 MB body limit, CORS for every origin,
// the document at /openapi.json and /openapi.yaml, ReadHeaderTimeout 10s
// and IdleTimeout 120s. Stop finishes in-flight requests within its
// context's deadline (or Config.GracePeriod). Config.Socket serves on a Unix
// socket, Config.TLS serves HTTPS, Config.BasePath prefixes everything.
//
// # Timeouts and limits
//
// Every bound has a default and a Config field whose zero value selects it
// (a negative value switches it off where the field says so):
//
//   - ReadHeaderTimeout (10s): the request line and headers; a client that
//     trickles them is disconnected without an answer.
//   - BodyReadTimeout (60s): the request body, counted from when the server
//     starts handling the request. A body not received in time is answered
//     408 {"error":{"statusCode":408,"name":"RequestTimeoutError",
//     "message":"request timeout"}} with Connection: close, and counted in
//     Stats.TimedOut. The deadline is set with http.ResponseController and
//     lifted once the body has been read, so a slow handler is unaffected.
//   - MaxInFlight (10 000 requests): a request over the cap is answered at
//     once with 503 {"error":{"statusCode":503,"message":"Service
//     Unavailable"}}, Retry-After: 1 and Connection: close, without being
//     logged, and counted in Stats.Rejected; the server answers normally
//     again as soon as requests finish.
//   - MaxConnections (no cap): connections Start's listener keeps open at
//     once, idle ones included; more wait in the kernel's accept queue.
//     Set it below the descriptor limit (ulimit -n) on public servers.
//   - MaxBodySize (1 MB): 413 PayloadTooLargeError.
//   - MaxDrainSize (4 MiB): after an error response to a request whose body
//     was not read (413, 415, a 400 on a parameter, a 404 …), the response
//     is flushed and the rest of the body is read and discarded, for at most
//     2 seconds, so that a client that writes its whole body before reading
//     gets the response and not a connection reset. A body under 256 KiB
//     keeps the connection; a larger one closes it after the response.
//   - IdleTimeout (120s) for keep-alive connections; ReadTimeout and
//     WriteTimeout (none) are http.Server's.
//
// A client that goes away before its answer (a closed connection or reset
// stream that cancels the request's context, which the handler returns as
// context.Canceled) is not an error of the server: it is logged at Info
// level as "request canceled by client" with status 499
// (StatusClientClosedRequest, nginx's), counted in Stats.Canceled, and no
// error body is written. Server.Stats reads the counters.
//
// Mount serves any http.Handler (an existing net/http or chi application)
// under a path prefix; Static and StaticDir serve files for paths that no
// route matches; Redirect answers with a redirect.
//
// # Typed operations
//
// Get, Post, Put, Patch, Delete and Handle register a handler
// func(ctx, *I) (*O, error). The input struct declares the parameters with
// path, query, header and cookie tags and the request body with a Body
// field; the schema tags of the openapi package (required, minimum,
// maxLength, enum, doc, …; one dialect, see its documentation) constrain
// them. The output type is the response body (JSON by default; []byte,
// string and io.Reader are sent as application/octet-stream, text/plain
// and a stream), or an envelope with Status, `header:"..."` and Body
// fields. A nil *O is 204. Inside a handler, SetStatus and ResponseHeader
// adjust the response; the DefaultStatus option sets the success status
// (201 for a create) and the document shows it. Reflection happens once,
// at registration, where the decoders and the OpenAPI operation are built.
//
// # One schema per Go type
//
// A Go model (a struct with an lb id; see the model package) is described
// by its model definition, with the names the crud package publishes for
// it: a Body of type Todo is {"$ref": "#/components/schemas/Todo"}, the
// same component crud.Mount publishes, and a response of type Todo (or
// []Todo) whose Go type has navigational relation fields is described by
// TodoWithRelations, since it can carry related instances. Other structs
// are described by the openapi registry from the same schema tags.
//
// # Operation ids and tags
//
// A typed operation's operationId is its OperationID option or, without
// one, derived from the method and path: GET /todos/{id} is "getTodosId".
// It never comes from the handler's Go name (LoopBack names app.route
// handlers after their function; we do not, so that renaming a function
// does not change the API). The Tags option tags an operation.
//
// # Controllers
//
// A Controller groups operations: Server.Controller gives each the
// operationId "<Controller>.<name>" (name being its OperationID option, as
// in OperationID("findById"), or derived from the method and path) and the
// tag "<Controller>".
//
// # Route: operations described by an openapi.Operation
//
// Route is the lower-level registration that spec-first documents and the
// crud package use (through AddRoute, which returns an error where Route
// panics, for routes derived from data rather than written by hand):
//
//	s.AddSchema("Todo", todoSchema) // components the operation $refs
//	s.Route("GET", "/todos/{id}", &openapi.Operation{
//		OperationID: "TodoController.findById",
//		Parameters: []*openapi.Parameter{
//			{Name: "id", In: "path", Required: true, Schema: &openapi.Schema{Type: openapi.Types{"number"}}},
//			{Name: "filter", In: "query", Content: map[string]*openapi.MediaType{
//				"application/json": {Schema: filterSchema}}},
//		},
//		Responses: map[string]*openapi.Response{"200": {Description: "Todo instance"}},
//	}, func(ctx context.Context, req *rest.Request) (any, error) {
//		id := req.Params["id"].(float64)
//		filter, _ := req.Params["filter"].(map[string]any) // nil when absent
//		...
//		return todo, nil // JSON 200; nil → 204; *rest.Response for status/headers
//	})
//
// The operation drives everything, exactly as for a spec-first document:
//
//   - Parameters (path, query, header, cookie; "#/components/parameters"
//     references are followed) are coerced to their schema's type and put
//     in Request.Params: integer → int64 (a JavaScript-safe integer), number
//     → float64, boolean → bool (true/false/1/0), string → string (format
//     date and date-time → time.Time, byte → []byte), array → []any, object
//     → map[string]any. An object parameter is given as JSON text
//     (?filter={"limit":2}) or in the nested query-string form
//     (?filter[limit]=2), whose strings are coerced to the schema's types.
//     A parameter with constraints, an object or an array is validated
//     against its schema. Absent optional parameters are not in the map.
//     Errors are 400 MISSING_REQUIRED_PARAMETER or INVALID_PARAMETER_VALUE
//     with LoopBack's messages and details; an object parameter whose
//     JSON is an array or a scalar (?filter=[1]) is INVALID_PARAMETER_VALUE
//     quoting the value as sent, without details. Messages quote at most
//     100 characters of a bad value.
//   - The query string is decoded as LoopBack's (qs) decodes it, and
//     nothing is dropped: a value whose percent-escapes do not decode
//     (?where[title]=100%) is kept as sent, ";" is an ordinary character,
//     and a query of more than 1000 parameters is a 400 (qs would ignore
//     the rest). Cookie parameters are read as Express's cookie module
//     reads them (quotes removed, escapes decoded when they decode).
//   - The request body (RequestBody.Content by media type; x-parser: stream
//     hands the unread body to the handler) is parsed by media type: JSON
//     (application/json and */*+json, any JSON value), url-encoded
//     (nested keys, coerced), text/*, multipart/form-data (fields and
//     *File), anything else as []byte, or a parser registered with
//     Server.BodyParser. It is validated against the media type's schema;
//     every error is reported in the 422 VALIDATION_FAILED details. A
//     declared but absent required body is 400; an unsupported content type
//     415; a body over the limit 413; malformed JSON 400 SyntaxError, worded
//     as JSON.parse words it ("Unexpected token } in JSON at position 13",
//     "number 1e999 is out of range": never Go's words); a url-encoded
//     body is decoded as the query string is, with more than 1000
//     parameters a 413; the
//     keys "__proto__", "constructor.prototype" and Config.ProhibitedKeys
//     are rejected anywhere in JSON. JSON bodies are UTF-8: a charset
//     parameter other than utf-8 or utf8 (any case) is 415
//     UnsupportedMediaTypeError `unsupported charset "LATIN1"` (LoopBack's
//     body-parser message), and invalid UTF-8 bytes or a \u escape of half
//     a surrogate pair are 400 SyntaxError, never replaced by U+FFFD. As in
//     LoopBack, a request without a Content-Type header is JSON whose body
//     is not read: the operation sees {} (so a model schema answers 422 for
//     its required properties), or no body when the request has none. A
//     body that stops arriving is 400 "request aborted" (code
//     ECONNABORTED), or 408 past Config.BodyReadTimeout.
//   - Schemas may $ref "#/components/schemas/Name": add those with
//     AddSchema (or they come from the registry or a loaded document)
//     before calling Route: a validator resolves references in the
//     components as they were when its route was registered. Route panics
//     on a bad path; AddRoute returns the error. A schema that does not
//     compile is found when its validator is compiled (see Validation is
//     compiled lazily).
//   - The result is written as Response describes; an error through
//     WriteError, which maps fault kinds to statuses with StatusOf. A
//     result that is a JSONAppender encodes itself into a pooled buffer.
//
// The handler's ctx carries the request: HTTPRequest, PathParams,
// SetStatus, ResponseHeader, RouteOf on the *http.Request, and the
// request's di container through di.FromContext or RequestContext.
//
// # Validation is compiled lazily
//
// A parameter's or a body's JSON-Schema validator is compiled by the first
// request that needs it, not when its route is registered: compiling is
// most of what registering a route costs (crud.Mount of one model
// compiles a dozen), and a process should not pay it at start for routes
// it may never serve — that keeps the time from exec to the first answer
// low. Requests that need no validation (GET /todos without a filter)
// compile nothing; the first request that does pays for its validator
// once (about 1 ms for the todo model's body; concurrent first requests wait
// for the one compilation). The answers are the same as with validators
// compiled in advance, errors and their details included. A validator
// reads its schemas when it is compiled: do not change a schema (or a
// component it references) once its route is registered.
//
// A schema that does not compile (a pattern that is not a regular
// expression, an unresolvable $ref, a keyword the validator does not
// support) is a programming error. Compiled lazily, it fails every request
// that needs it with 500, logged with the method, path, the parameter or
// body and the compiler's message. To find such errors without a request:
//
//   - Server.Validate compiles every validator not compiled yet and
//     returns the errors, each naming its route; call it in a test (or at
//     start, when a process should refuse to start with a broken schema).
//   - Config.EagerValidators compiles each route's validators when it is
//     registered, as earlier versions did: Route panics and AddRoute (and
//     crud.Mount, and the typed Get, Post, …) return the error.
//
// # Spec-first
//
// openapi.Load reads an OpenAPI 3.0 or 3.1 document in JSON or YAML, and
// Server.API binds handlers to its operations by operationId. Routing,
// coercion and validation follow the document; an operation without a
// handler answers 501 naming it.
//
// # Middleware, interceptors and the request context
//
// Middleware are plain func(http.Handler) http.Handler, registered with
// Use or UseIn into LoopBack's ordered groups (GroupCORS, GroupAPISpec,
// GroupMiddleware, GroupFindRoute, GroupAuthentication, GroupParseParams,
// GroupInvokeMethod). Groups up to GroupFindRoute see every request; later
// groups see only routed ones and can call RouteOf.
//
// Every operation runs through di.Intercept: the global interceptors bound
// in the server's di container chain (tagged globalInterceptor, ordered by
// group), then those added with Server.Intercept, then the operation's own
// (WithInterceptors). With none registered nothing is allocated for them.
// The request's di container (scope Request, a child of Server.Context) is
// created only when something asks for it.
//
// # Errors
//
// Errors are written as LoopBack writes them: {"error":{"statusCode",
// "name","message","code","details"}} with Content-Type
// application/json; charset=utf-8 and X-Content-Type-Options: nosniff, or
// an HTML or XML page when the Accept header prefers one. A fault.Error's
// kind gives the status (StatusOf) and its Name overrides the default name
// (ErrorName). 5xx errors are logged with slog and sent with only the
// reason phrase unless Config.Debug is set. A message repeats at most 100
// characters of the client's input (a parameter value, a path, a content type);
// longer input is cut at a character boundary and marked "…".
//
// # OpenAPI document
//
// The document (Server.Document) is OpenAPI 3.1, built at registration; Go
// types become JSON Schema 2020-12 through the openapi registry, named
// structs in components/schemas. It is served pretty-printed at
// SpecConfig.JSONPath and YAMLPath, as 3.0.3 with ?openapi=3.0 or
// SpecConfig.Version30, with servers [{"url":"/"}] or, with
// ServersFromRequest, the request's base URL (X-Forwarded-Proto, -Host,
// -Port). EnhanceSpec registers functions that edit the served document;
// Hidden keeps an operation out of it.
//
// # Testing
//
// Package rest/resttest starts a server on a loopback port and checks
// responses (status, headers, JSON, LoopBack error bodies) with "got X;
// want Y" failures.
//
// # Request ids and the access log
//
// [RequestID] takes the client's X-Request-Id (or makes one), echoes it and
// puts it in the request's context; [LogHandler] adds it to every log
// record made with that context; [AccessLog] logs each answered request as
// a slog record or an Apache common/combined line. A [LogBuffer] in front
// of the log's output batches the records into one write per 100 ms (or
// 32 KiB) instead of one per request. Packages health,
// metrics and tracing add the other production endpoints and middleware.
package rest
