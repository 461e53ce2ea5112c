package rest

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"

	"github.com/loopback-go/lb/openapi"
)

// staticFS serves files of a file system under a URL prefix.
type staticFS struct {
	prefix string // "" or "/assets"
	fsys   fs.FS
}

// Static serves the files of fsys under prefix ("/" for the root) for GET
// and HEAD requests that match no route; routes win over files. A
// directory is served through its index.html; there are no listings. A
// missing file falls through to the LoopBack 404.
func (s *Server) Static(prefix string, fsys fs.FS) {
	prefix = strings.TrimSuffix(prefix, "/")
	if prefix != "" && !strings.HasPrefix(prefix, "/") {
		panic(fmt.Sprintf("rest: static prefix %q must start with '/'", prefix))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statics = append(s.statics, staticFS{prefix: prefix, fsys: fsys})
}

// StaticDir serves the files of the directory dir under prefix; see Static.
func (s *Server) StaticDir(prefix, dir string) { s.Static(prefix, os.DirFS(dir)) }

// serveStatic serves the request from st if it names a file there.
func (st staticFS) serve(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	rel, ok := strings.CutPrefix(r.URL.Path, st.prefix)
	if !ok || rel != "" && rel[0] != '/' {
		return false
	}
	name := strings.TrimPrefix(path.Clean("/"+rel), "/")
	if name == "" {
		name = "."
	}
	if !fs.ValidPath(name) {
		return false
	}
	fi, err := fs.Stat(st.fsys, name)
	if err != nil {
		return false
	}
	if fi.IsDir() {
		name = path.Join(name, "index.html")
		if fi, err = fs.Stat(st.fsys, name); err != nil || fi.IsDir() {
			return false
		}
	}
	f, err := st.fsys.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	// ServeContent, not ServeFileFS: that one redirects /index.html to ./,
	// where LoopBack (serve-static) serves the file.
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		b, err := io.ReadAll(f)
		if err != nil {
			return false
		}
		rs = bytes.NewReader(b)
	}
	http.ServeContent(w, r, fi.Name(), fi.ModTime(), rs)
	return true
}

// Redirect answers GET and HEAD requests for from with a redirect to to
// (status 303 when status is 0). A to starting with "/" is prefixed with
// BasePath. The redirect is not in the OpenAPI document.
func (s *Server) Redirect(from, to string, status int) {
	if status == 0 {
		status = http.StatusSeeOther
	}
	if strings.HasPrefix(to, "/") {
		to = s.basePath + to
	}
	h := func(c *call) {
		http.Redirect(c.w, c.r, to, status)
	}
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		_, err := s.addEndpoint(m, from, &openapi.Operation{OperationID: "redirect " + from}, opConfig{hidden: true},
			func(e *endpoint) { e.serve = h })
		if err != nil {
			panic("rest: " + err.Error())
		}
	}
}
