// Package lb is LoopBack for Go: the application, its components, servers and
// lifecycle. See the README for an overview.
package lb
