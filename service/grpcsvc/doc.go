// Package grpcsvc calls gRPC services with JSON-mapped messages: the
// methods are described by descriptors (protoc --descriptor_set_out
// --include_imports) or found through the server's reflection service
// (grpc.reflection.v1), messages are built with dynamicpb from the
// protojson of the arguments, and answers come back as protojson — no
// generated code.
//
//	inv, err := grpcsvc.New(grpcsvc.Config{Name: "inventory", Target: "127.0.0.1:50051"})
//	stock := grpcsvc.MustBind[StockIn, StockOut](inv, "shop.Inventory/Stock")
//	out, err := stock(ctx, StockIn{SKU: "A-1"})
//
// Unary methods are called with [Service.Call] or [Bind]; server-streaming
// ones with [Service.Stream], an iterator over the response messages.
//
// # Errors
//
// Arguments that do not fit the request message are a 400
// (INVALID_SERVICE_ARGUMENTS) and nothing is sent. A gRPC error status is
// a 502 — DEADLINE_EXCEEDED a 504 — whose wrapped *service.Error carries
// the code name (Code), the status message (Message) and the HTTP status
// the code maps to (Status: NOT_FOUND 404, INVALID_ARGUMENT 400,
// UNAVAILABLE 503 …), so that a handler can pass a status on; the client
// of the app sees neither the message nor the code. UNAVAILABLE and
// RESOURCE_EXHAUSTED are retried for methods listed in Config.Idempotent;
// timeouts, retries and the breaker are those of package service (for a
// stream, the attempt timeout bounds opening it).
package grpcsvc
