package main

import (
	"html/template"
	"net/http"
)

// homePage is the page served at /: what the app is, and links to the API
// explorer and the OpenAPI document.
var homePage = template.Must(template.New("home").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{{.Title}}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <style>
    body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #222; }
    h1 { font-weight: 500; }
    a { color: #3f5dff; }
    code { background: #f2f2f2; padding: 0 .25rem; }
  </style>
</head>
<body>
  <h1>{{.Title}}</h1>
  <p>The todo example of LoopBack for Go: a <code>Todo</code> model served as a CRUD REST API at <a href="{{.Base}}todos">{{.Base}}todos</a>.</p>
  <ul>
    <li>Try it in the <a href="{{.Base}}explorer/">API explorer</a></li>
    <li>Read the <a href="{{.Base}}openapi.json">OpenAPI document</a> (<a href="{{.Base}}openapi.yaml">YAML</a>)</li>
    <li>Check it is alive: <a href="{{.Base}}ping">{{.Base}}ping</a></li>
  </ul>
</body>
</html>
`))

// home writes the home page.
func home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		homePage.Execute(w, struct{ Title, Base string }{"LoopBack for Go: todo example", "/"}) //nolint:errcheck // the client went away
	}
}
