// Package ws serves a model's change events over a WebSocket, beside the
// Server-Sent Events stream of package events; it is a separate package
// so that only apps that use it import the WebSocket library
// (github.com/coder/websocket).
//
//	bus := events.NewBus(events.Config{})
//	todos.ObserveChanges(bus)
//	err := ws.Mount(srv, "/todos/ws", ws.Config{StreamConfig: events.StreamConfig{Bus: bus, Model: todos.Definition()}})
//
// Each change is one JSON text message, the same object as the SSE
// stream's data ({"seq","model","kind","id","instance","changed","time"});
// the where and lastEventId query parameters, heartbeats (pings), the
// bounded buffer and authorization behave as for the SSE endpoint.
package ws
