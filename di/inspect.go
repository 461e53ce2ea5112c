package di

import (
	"maps"
	"slices"
	"strings"
)

// Inspection describes a context and its bindings, for debugging and for
// diagnostic endpoints; it marshals to JSON.
type Inspection struct {
	Name     string              `json:"name"`
	Scope    string              `json:"scope"`
	Bindings []BindingInspection `json:"bindings"`
	Parent   *Inspection         `json:"parent,omitempty"`
}

// BindingInspection describes one binding.
type BindingInspection struct {
	Key    string            `json:"key"`
	Type   string            `json:"type"`
	Source string            `json:"source"`
	Scope  string            `json:"scope"`
	Tags   map[string]string `json:"tags,omitempty"`
}

// Inspect describes c's own bindings, sorted by key, and, with
// includeParents, those of its ancestors. Values are not resolved.
func (c *Container) Inspect(includeParents bool) *Inspection {
	in := &Inspection{Name: c.n.name, Scope: c.n.scope.String(), Bindings: []BindingInspection{}}
	if m := c.n.bindings.Load(); m != nil {
		for _, k := range slices.Sorted(maps.Keys(m.m)) {
			b := m.m[k]
			bi := BindingInspection{Key: k, Type: b.Type().String(), Source: b.Source().String(), Scope: b.Scope().String()}
			if t := b.Tags(); len(t) > 0 {
				bi.Tags = t
			}
			in.Bindings = append(in.Bindings, bi)
		}
	}
	if includeParents && c.n.parent != nil {
		in.Parent = c.n.parent.self.Inspect(true)
	}
	return in
}

// String lists the bindings one per line: `key (source, scope) type [tags]`.
func (in *Inspection) String() string {
	var sb strings.Builder
	for i := in; i != nil; i = i.Parent {
		sb.WriteString(i.Name + " (" + i.Scope + ")\n")
		for _, b := range i.Bindings {
			sb.WriteString("  " + b.Key + " (" + b.Source + ", " + b.Scope + ") " + b.Type)
			if len(b.Tags) > 0 {
				var tags []string
				for _, k := range slices.Sorted(maps.Keys(b.Tags)) {
					if v := b.Tags[k]; v != "" {
						tags = append(tags, k+"="+v)
					} else {
						tags = append(tags, k)
					}
				}
				sb.WriteString(" [" + strings.Join(tags, " ") + "]")
			}
			sb.WriteString("\n")
		}
	}
	return sb.String()
}
