package rest

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// The router is a trie of path segments. A node's literal children are tried
// before its template children, and a failed branch backtracks, so
// "/todos/count" beats "/todos/{id}" while "DELETE /todos/count" still reaches
// "DELETE /todos/{id}" when only GET has the literal. Templates may mix
// literals and parameters inside one segment ("{name}.{ext}"); a parameter
// matches at least one character and as few as possible, like
// path-to-regexp's non-greedy groups.

type router struct {
	root   node
	strict bool
}

type node struct {
	literal   map[string]*node
	templates []*templateEdge
	methods   map[string]*endpoint
}

type templateEdge struct {
	key   string // the segment with parameter names removed: "{}.{}"
	parts []segPart
	next  *node
}

// segPart is a literal (name == "") or a parameter.
type segPart struct {
	lit   string
	param string
}

// literalLen is how many literal bytes a template segment holds; more
// literal text is more specific and is tried first.
func (e *templateEdge) literalLen() int {
	n := 0
	for _, p := range e.parts {
		n += len(p.lit)
	}
	return n
}

// splitPath splits a path template or request path into segments, dropping
// the leading slash; with strict off a trailing slash is dropped too.
func splitPath(p string, strict bool) []string {
	p = strings.TrimPrefix(p, "/")
	if !strict {
		p = strings.TrimSuffix(p, "/")
	}
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// parseSegment parses one template segment. It reports the parameter names
// it declares.
func parseSegment(seg string) ([]segPart, error) {
	if strings.HasPrefix(seg, ":") {
		return nil, fmt.Errorf("segment %q uses the Express style; write {%s}", seg, seg[1:])
	}
	var parts []segPart
	for seg != "" {
		i := strings.IndexByte(seg, '{')
		if i < 0 {
			if strings.IndexByte(seg, '}') >= 0 {
				return nil, fmt.Errorf("unbalanced '}' in %q", seg)
			}
			parts = append(parts, segPart{lit: seg})
			break
		}
		if i > 0 {
			if strings.IndexByte(seg[:i], '}') >= 0 {
				return nil, fmt.Errorf("unbalanced '}' in %q", seg)
			}
			parts = append(parts, segPart{lit: seg[:i]})
		}
		j := strings.IndexByte(seg[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("unclosed '{' in %q", seg)
		}
		name := seg[i+1 : i+j]
		if name == "" || strings.ContainsAny(name, "{/") {
			return nil, fmt.Errorf("bad parameter name %q", name)
		}
		if len(parts) > 0 && parts[len(parts)-1].param != "" {
			return nil, fmt.Errorf("two parameters without a literal between them in %q", seg)
		}
		parts = append(parts, segPart{param: name})
		seg = seg[i+j+1:]
	}
	return parts, nil
}

// templateNames returns the parameter names of a path template in order,
// or the error add would report for a malformed template.
func templateNames(path string, strict bool) ([]string, error) {
	var rt router
	rt.strict = strict
	return rt.add("", path, &endpoint{})
}

// add registers e under method and path template. It returns the path's
// parameter names in order, or an error for a bad template or a duplicate.
func (rt *router) add(method, path string, e *endpoint) ([]string, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("path %q must start with '/'", path)
	}
	n := &rt.root
	var names []string
	for _, seg := range splitPath(path, rt.strict) {
		parts, err := parseSegment(seg)
		if err != nil {
			return nil, fmt.Errorf("path %q: %w", path, err)
		}
		if len(parts) == 1 && parts[0].param == "" || len(parts) == 0 {
			lit := seg
			if n.literal == nil {
				n.literal = map[string]*node{}
			}
			next := n.literal[lit]
			if next == nil {
				next = &node{}
				n.literal[lit] = next
			}
			n = next
			continue
		}
		var key strings.Builder
		for _, p := range parts {
			if p.param != "" {
				if slices.Contains(names, p.param) {
					return nil, fmt.Errorf("path %q: parameter %q appears twice", path, p.param)
				}
				names = append(names, p.param)
				key.WriteString("{}")
			} else {
				key.WriteString(p.lit)
			}
		}
		var edge *templateEdge
		for _, t := range n.templates {
			if t.key == key.String() {
				edge = t
				break
			}
		}
		if edge == nil {
			edge = &templateEdge{key: key.String(), parts: parts, next: &node{}}
			n.templates = append(n.templates, edge)
			slices.SortStableFunc(n.templates, func(a, b *templateEdge) int {
				return b.literalLen() - a.literalLen()
			})
		}
		n = edge.next
	}
	if n.methods == nil {
		n.methods = map[string]*endpoint{}
	}
	if old, ok := n.methods[method]; ok {
		return nil, fmt.Errorf("%s %s conflicts with %s %s, registered before", method, path, method, old.path)
	}
	n.methods[method] = e
	return names, nil
}

// lookup finds the endpoint for method and a request path: the URL's
// RawPath when it has one (escaped is true: segments are percent-decoded
// after splitting, so %2F stays inside a segment), else its Path. The path
// parameter values are appended to params in template order.
func (rt *router) lookup(method, path string, escaped bool, params []string) (*endpoint, []string) {
	p := strings.TrimPrefix(path, "/")
	if !rt.strict && len(p) > 0 && p[len(p)-1] == '/' {
		p = p[:len(p)-1]
	}
	return rt.root.match(method, p, p == "", escaped, params)
}

// requestPath is the path lookup takes for u.
func requestPath(u *url.URL) (string, bool) {
	if u.RawPath != "" {
		return u.EscapedPath(), true
	}
	return u.Path, false
}

// match matches the rest of the path p (no leading slash). done reports that
// every segment has been consumed.
func (n *node) match(method, p string, done, escaped bool, params []string) (*endpoint, []string) {
	if done {
		if e := n.methods[method]; e != nil {
			return e, params
		}
		return nil, params
	}
	seg, rest, more := strings.Cut(p, "/")
	dec := seg
	if escaped && strings.IndexByte(seg, '%') >= 0 {
		d, err := url.PathUnescape(seg)
		if err != nil {
			return nil, params
		}
		dec = d
	}
	if next := n.literal[dec]; next != nil {
		if e, ps := next.match(method, rest, !more, escaped, params); e != nil {
			return e, ps
		}
	}
	for _, t := range n.templates {
		mark := len(params)
		if ps, ok := matchSegment(t.parts, dec, params); ok {
			if e, ps := t.next.match(method, rest, !more, escaped, ps); e != nil {
				return e, ps
			}
		}
		params = params[:mark]
	}
	return nil, params
}

// matchSegment matches one decoded segment against a template segment.
func matchSegment(parts []segPart, s string, params []string) ([]string, bool) {
	if len(parts) == 0 {
		return params, s == ""
	}
	p := parts[0]
	if p.param == "" {
		if !strings.HasPrefix(s, p.lit) {
			return params, false
		}
		return matchSegment(parts[1:], s[len(p.lit):], params)
	}
	if len(parts) == 1 {
		if s == "" {
			return params, false
		}
		return append(params, s), true
	}
	lit := parts[1].lit
	// Non-greedy: the shortest value that lets the rest match.
	for i := 1; i <= len(s)-len(lit); i++ {
		if !strings.HasPrefix(s[i:], lit) {
			continue
		}
		mark := len(params)
		if ps, ok := matchSegment(parts[2:], s[i+len(lit):], append(params, s[:i])); ok {
			return ps, true
		}
		params = params[:mark]
	}
	return params, false
}
