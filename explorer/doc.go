// Package explorer serves the API explorer: Swagger UI 5, self-hosted (no
// CDN), for the app's OpenAPI document, at the URLs a LoopBack 4 app uses.
//
// # Routes
//
// Mounted at /explorer (see [Mount]), the handler answers:
//
//	GET /explorer               301, Location: ./explorer/
//	GET /explorer/              200, the HTML page, titled "LoopBack API Explorer"
//	GET /explorer/openapi.json  the document from Config.Spec
//	GET /explorer/swagger-ui-bundle.js, swagger-ui.css, …   the UI, cached a week
//
// Every URL the page uses is relative to it, so the explorer works behind a
// basePath, a reverse proxy prefix, and under any mount path.
//
// # Mounting
//
// On an [net/http.ServeMux], or any router with the same Handle method:
//
//	explorer.Mount(mux, "/explorer", explorer.Config{Spec: spec})
//
// The handler from [New] expects paths relative to its mount point, as
// [net/http.StripPrefix] leaves them. On the REST server, whose Mount serves
// a prefix and everything below it with the full path, and which serves the
// spec itself at /openapi.json:
//
//	srv.Mount("/explorer", http.StripPrefix("/explorer",
//		explorer.New(explorer.Config{SpecURL: "../openapi.json"})))
//
// On a ServeMux by hand, register both the path and the path with a
// trailing slash, so that GET /explorer gets the LoopBack redirect and not
// the mux's own (this is what Mount does):
//
//	h := http.StripPrefix("/explorer", explorer.New(cfg))
//	mux.Handle("/explorer", h)
//	mux.Handle("/explorer/", h)
//
// # Licenses
//
// The Swagger UI assets (Apache License 2.0, SmartBear Software) are the
// ones embedded by the Go module github.com/swaggest/swgui (Apache License
// 2.0), package github.com/swaggest/swgui/v5/static; LICENSES.md in this
// directory names them and their notices. Binaries that include this
// package redistribute those files and must keep the notices.
//
// # Testing in a browser
//
// Package [github.com/loopback-go/lb/explorer/explorertest] drives a headless
// Chromium over the explorer, for browser tests of apps.
package explorer
