package explorer

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/swaggest/swgui/v5/static"
)

// DefaultTitle is the page title when Config.Title is empty.
const DefaultTitle = "LoopBack API Explorer"

// DefaultSpecURL is the spec URL when Config.SpecURL is empty: the
// openapi.json this handler serves next to the page.
const DefaultSpecURL = "openapi.json"

// Config configures the explorer. The zero value serves the UI for the
// spec at "openapi.json" next to the page; without a Spec supplier that URL
// answers 404, so set Spec, or SpecURL to where the app serves its spec
// (for example "../openapi.json").
type Config struct {
	// Title is the page title. Default [DefaultTitle].
	Title string

	// SpecURL is the URL of the OpenAPI document the UI loads, relative to
	// the explorer page (so it works under any mount path and basePath) or
	// absolute. Default [DefaultSpecURL].
	SpecURL string

	// Spec supplies the OpenAPI document (JSON) served at openapi.json
	// under the mount path. It is called on every request for it, so it may
	// adapt the document to the request (for example its servers). An
	// error answers 500. Nil: openapi.json answers 404.
	Spec func(r *http.Request) ([]byte, error)
}

// assetMaxAge is how long browsers may cache the Swagger UI assets. They
// only change with the swgui module version, and carry an ETag.
const assetMaxAge = 7 * 24 * time.Hour

// asset is a static file, stored gzipped as embedded.
type asset struct {
	contentType string
	gz          []byte // gzip-compressed content; nil when stored plain
	etag        string

	once  sync.Once
	plain []byte // uncompressed content, filled on first need
	err   error
}

func (a *asset) content() ([]byte, error) {
	a.once.Do(func() {
		if a.gz == nil {
			return
		}
		zr, err := gzip.NewReader(bytes.NewReader(a.gz))
		if err != nil {
			a.err = err
			return
		}
		a.plain, a.err = io.ReadAll(zr)
	})
	return a.plain, a.err
}

// handler serves the explorer.
type handler struct {
	page func() []byte // the HTML page, rendered on first use
	spec func(r *http.Request) ([]byte, error)

	// The assets are indexed (and hashed for their ETags) on the first
	// request that needs them rather than in New: an app that is never
	// browsed does not pay for it at start-up (about 2 ms of CPU).
	assetsOnce sync.Once
	assets     map[string]*asset
}

// asset returns the asset of that name, indexing them on first use.
func (h *handler) asset(name string) (*asset, bool) {
	h.assetsOnce.Do(func() { h.assets = loadAssets() })
	a, ok := h.assets[name]
	return a, ok
}

var _ http.Handler = (*handler)(nil)

// New returns the explorer handler. It expects request paths relative to its
// mount point, as [http.StripPrefix] leaves them, and serves:
//
//   - "" (the mount path itself, e.g. GET /explorer): 301 to "./explorer/",
//     using the last segment of the request path;
//   - "/" and "/index.html": the HTML page, which loads everything through
//     relative URLs;
//   - "/openapi.json": the document from Config.Spec;
//   - the Swagger UI assets (swagger-ui-bundle.js, swagger-ui.css, …),
//     gzip-encoded when the client accepts it, with an ETag and a one-week
//     Cache-Control max-age.
//
// Other paths answer 404 and methods other than GET and HEAD 405. Use
// [Mount] to mount it on a mux.
func New(cfg Config) http.Handler {
	if cfg.Title == "" {
		cfg.Title = DefaultTitle
	}
	if cfg.SpecURL == "" {
		cfg.SpecURL = DefaultSpecURL
	}
	// The page is rendered by the first request for it, not at start:
	// parsing and running an html/template is work a process that may
	// never serve the explorer should not do before its first answer.
	page := sync.OnceValue(func() []byte {
		var page bytes.Buffer
		if err := pageTemplate().Execute(&page, cfg); err != nil {
			panic(fmt.Sprintf("explorer: render page: %v", err)) // cannot happen: the template is fixed
		}
		return page.Bytes()
	})
	return &handler{page: page, spec: cfg.Spec}
}

// loadAssets indexes the Swagger UI files embedded by swgui and our init
// script. Content hashes for the ETags are computed here, once (on the
// first asset request).
func loadAssets() map[string]*asset {
	out := map[string]*asset{}
	add := func(name string, gz, plain []byte) {
		sha := sha256.New()
		sha.Write(gz)
		sha.Write(plain)
		sum := sha.Sum(nil)
		a := &asset{
			contentType: mime.TypeByExtension(path.Ext(name)),
			gz:          gz,
			plain:       plain,
			etag:        `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`,
		}
		if a.contentType == "" {
			a.contentType = "application/octet-stream"
		}
		out[name] = a
	}
	entries, err := fs.ReadDir(static.FS, ".")
	if err != nil {
		panic(fmt.Sprintf("explorer: read embedded assets: %v", err)) // cannot happen: embed.FS
	}
	for _, e := range entries {
		data, err := fs.ReadFile(static.FS, e.Name())
		if err != nil {
			panic(fmt.Sprintf("explorer: read embedded asset %s: %v", e.Name(), err))
		}
		if name, ok := strings.CutSuffix(e.Name(), ".gz"); ok {
			add(name, data, nil)
		} else {
			add(e.Name(), nil, data)
		}
	}
	add("explorer-init.js", nil, []byte(initScript))
	return out
}

// ServeHTTP implements http.Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch p := r.URL.Path; p {
	case "":
		h.redirect(w, r)
	case "/", "/index.html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(h.page()))
	case "/openapi.json":
		h.serveSpec(w, r)
	default:
		a, ok := h.asset(strings.TrimPrefix(p, "/"))
		if !ok {
			notFound(w, r)
			return
		}
		h.serveAsset(w, r, a)
	}
}

// redirect sends GET /explorer to ./explorer/: relative, so that it stays
// under whatever prefix (basePath, proxy path) the client used.
func (h *handler) redirect(w http.ResponseWriter, r *http.Request) {
	orig := r.URL.Path
	if r.RequestURI != "" {
		orig, _, _ = strings.Cut(r.RequestURI, "?")
	}
	last := path.Base(orig)
	if last == "/" || last == "." || last == "" {
		last = "explorer"
	}
	target := "./" + last + "/"
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", target)
	w.WriteHeader(http.StatusMovedPermanently)
}

func (h *handler) serveSpec(w http.ResponseWriter, r *http.Request) {
	if h.spec == nil {
		notFound(w, r)
		return
	}
	doc, err := h.spec(r)
	if err != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `{"error":{"statusCode":500,"message":"Internal Server Error"}}`)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(doc))
}

func (h *handler) serveAsset(w http.ResponseWriter, r *http.Request, a *asset) {
	hd := w.Header()
	hd.Set("Content-Type", a.contentType)
	hd.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(assetMaxAge.Seconds())))
	hd.Set("X-Content-Type-Options", "nosniff")
	if a.gz != nil {
		hd.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			hd.Set("Content-Encoding", "gzip")
			hd.Set("ETag", strings.TrimSuffix(a.etag, `"`)+`-gz"`)
			http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.gz))
			return
		}
	}
	data, err := a.content()
	if err != nil {
		http.Error(w, "explorer: corrupt embedded asset", http.StatusInternalServerError)
		return
	}
	hd.Set("ETag", a.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.TrimSpace(coding) != "*" {
				continue
			}
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
				return false
			}
			return true
		}
	}
	return false
}

// Mount mounts the explorer built from cfg at path (for example
// "/explorer") on mux, which may be an *http.ServeMux or any router with the
// same Handle method. It registers both path and path+"/", each through
// [http.StripPrefix], so that GET /explorer answers the LoopBack redirect
// rather than the mux's own. For the REST server, see the package
// documentation. Mount panics if path does not start with "/".
func Mount(mux interface{ Handle(string, http.Handler) }, path string, cfg Config) {
	if !strings.HasPrefix(path, "/") {
		panic(fmt.Sprintf("explorer: Mount: path %q does not start with /", path))
	}
	path = strings.TrimRight(path, "/")
	h := New(cfg)
	if path == "" {
		mux.Handle("/", h)
		return
	}
	stripped := http.StripPrefix(path, h)
	mux.Handle(path, stripped)
	mux.Handle(path+"/", stripped)
}

// The page loads everything through relative URLs and has no inline script,
// so it works under any prefix and with a strict Content-Security-Policy.
var pageTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="stylesheet" href="./swagger-ui.css">
<link rel="icon" type="image/png" href="./favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="./favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui" data-spec-url="{{.SpecURL}}"></div>
<script src="./swagger-ui-bundle.js"></script>
<script src="./swagger-ui-standalone-preset.js"></script>
<script src="./explorer-init.js"></script>
</body>
</html>
`))
})

// initScript starts Swagger UI with the spec URL from the page, resolved
// against the page URL.
const initScript = `(function () {
  var el = document.getElementById('swagger-ui');
  var url = new URL(el.getAttribute('data-spec-url') || 'openapi.json', window.location.href).href;
  window.ui = SwaggerUIBundle({
    url: url,
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
    validatorUrl: null
  });
})();
`

// notFound answers 404 with LoopBack's body for an unknown endpoint, naming
// the path the client asked for (before any prefix was stripped).
func notFound(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if r.RequestURI != "" {
		p, _, _ = strings.Cut(r.RequestURI, "?")
	}
	msg, _ := json.Marshal("Endpoint \"" + r.Method + " " + p + "\" not found.")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		io.WriteString(w, `{"error":{"statusCode":404,"name":"NotFoundError","message":`+string(msg)+`}}`)
	}
}
