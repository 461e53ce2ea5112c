// Package gen generates the Go code of LoopBack for Go applications for the
// lb command: a new application (lb new) with the shape of the todo
// example, and the models, data sources, repositories, controllers,
// relations, observers and interceptors added to it afterwards.
//
// Generators are pure functions returning Files (and, for what must be
// wired into the application, the lines to insert above a marker comment in
// app.go or main.go, such as "// lb:controllers"). A Writer writes them into
// a project directory: it gofmt's Go sources, prints "create PATH" or
// "update PATH" for each file, never overwrites a file unless Force is set,
// and checks everything a command needs (the project, the model, the data
// source, the repository) before writing anything.
//
// OpenAPI turns a document (3.0 or 3.1, JSON or YAML) into a spec-first
// API: the document embedded and served with rest.Server.API (so the
// application publishes the same paths, operations and schemas), a Go type
// per schema, and a typed handler stub per operationId.
//
// Generated models are structs tagged as package model describes; a CRUD
// controller mounts its model's repository with crud.Mount, and comes with
// a test doing a round trip over HTTP; repositories share a
// repository.Registry so that relations between served models get their
// endpoints.
package gen
