// Package config reads an app's configuration file (JSON or YAML) with
// environment overrides and binds its sections — "rest", "datasources",
// "health", "metrics", any component's — into Go structs and the app's
// container, checked at start with errors that name the key:
//
//	cfg, err := config.Load("config.yaml", config.Options{})
//	restCfg, err := config.Provide(cfg, app.Container(), "rest", rest.Config{Port: 3000})
//
// A section decodes into a struct by its json tags; an unknown key, a
// value of the wrong type or a failing Validate method is an error such as
// "config: rest.prot: unknown key". Every leaf field can be overridden by
// an environment variable named by the prefix, the section and the json
// names in upper case: LB_REST_PORT=8080, LB_DATASOURCES_DB_URL=postgres://…,
// LB_TRACING_OTLP_ENDPOINT (camelCase words split). Map-valued fields are
// read from the file only.
//
// The options of the operations components carry LoopBack's names, so a
// file configures them directly:
//
//	health:  {healthPath: /health, readyPath: /ready, timeout: 2s}
//	metrics: {path: /metrics}
//	tracing: {otlpEndpoint: "http://collector:4318", serviceName: todo}
//
//	hc, err := config.Provide(cfg, app.Container(), "health", health.Config{})
//	h := health.Mount(srv, hc)
package config
