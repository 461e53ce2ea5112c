package rest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// CORSConfig configures Cross-Origin Resource Sharing. The zero value is
// LoopBack's default: every origin ("*"), credentials allowed, preflight
// OPTIONS answered 204 with the methods GET,HEAD,PUT,PATCH,POST,DELETE, the
// requested headers echoed, and a max age of 86400 seconds.
type CORSConfig struct {
	// Disabled turns CORS handling off: no headers are added and OPTIONS
	// requests are routed like any other.
	Disabled bool
	// Origins lists the allowed origins. Empty means "*". When it is not
	// "*", the request's Origin is echoed if listed and Vary: Origin is set.
	Origins []string
	// AllowOrigin, when set, decides per request whether an origin is
	// allowed; it takes precedence over Origins.
	AllowOrigin func(origin string) bool
	// Methods for Access-Control-Allow-Methods; empty means
	// GET,HEAD,PUT,PATCH,POST,DELETE.
	Methods []string
	// AllowedHeaders for Access-Control-Allow-Headers; empty echoes the
	// request's Access-Control-Request-Headers.
	AllowedHeaders []string
	// ExposedHeaders for Access-Control-Expose-Headers; empty sends none.
	ExposedHeaders []string
	// NoCredentials turns off Access-Control-Allow-Credentials: true.
	NoCredentials bool
	// MaxAge of preflight results in seconds; zero means 86400, negative
	// sends no header.
	MaxAge int
	// PreflightContinue passes OPTIONS requests on to the routes after the
	// CORS headers are set, instead of answering 204.
	PreflightContinue bool
}

// cors is the compiled CORS middleware: header values are built once.
type cors struct {
	cfg         CORSConfig
	any         bool
	origin      []string
	credentials []string
	methods     []string
	headers     []string
	exposed     []string
	maxAge      []string
}

func newCORS(cfg CORSConfig) *cors {
	c := &cors{cfg: cfg}
	c.any = cfg.AllowOrigin == nil && (len(cfg.Origins) == 0 || slices.Contains(cfg.Origins, "*"))
	c.origin = []string{"*"}
	if !cfg.NoCredentials {
		c.credentials = []string{"true"}
	}
	methods := cfg.Methods
	if len(methods) == 0 {
		methods = []string{"GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"}
	}
	c.methods = []string{strings.Join(methods, ",")}
	if len(cfg.AllowedHeaders) > 0 {
		c.headers = []string{strings.Join(cfg.AllowedHeaders, ",")}
	}
	if len(cfg.ExposedHeaders) > 0 {
		c.exposed = []string{strings.Join(cfg.ExposedHeaders, ",")}
	}
	switch {
	case cfg.MaxAge == 0:
		c.maxAge = []string{"86400"}
	case cfg.MaxAge > 0:
		c.maxAge = []string{strconv.Itoa(cfg.MaxAge)}
	}
	return c
}

func (c *cors) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if c.any {
			h["Access-Control-Allow-Origin"] = c.origin
		} else {
			origin := r.Header.Get("Origin")
			h.Add("Vary", "Origin")
			if origin != "" && c.allowed(origin) {
				h["Access-Control-Allow-Origin"] = []string{origin}
			}
		}
		if c.credentials != nil {
			h["Access-Control-Allow-Credentials"] = c.credentials
		}
		if r.Method != http.MethodOptions {
			if c.exposed != nil {
				h["Access-Control-Expose-Headers"] = c.exposed
			}
			next.ServeHTTP(w, r)
			return
		}
		h["Access-Control-Allow-Methods"] = c.methods
		if c.headers != nil {
			h["Access-Control-Allow-Headers"] = c.headers
		} else if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			h.Add("Vary", "Access-Control-Request-Headers")
			h["Access-Control-Allow-Headers"] = []string{req}
		}
		if c.maxAge != nil {
			h["Access-Control-Max-Age"] = c.maxAge
		}
		if c.cfg.PreflightContinue {
			next.ServeHTTP(w, r)
			return
		}
		h["Content-Length"] = []string{"0"}
		w.WriteHeader(http.StatusNoContent)
	})
}

func (c *cors) allowed(origin string) bool {
	if c.cfg.AllowOrigin != nil {
		return c.cfg.AllowOrigin(origin)
	}
	return slices.Contains(c.cfg.Origins, origin)
}
