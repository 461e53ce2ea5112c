package model

import (
	"errors"
	"fmt"
	"slices"
	"sync"
)

// Registry holds the definitions of an application by name, so that
// relation targets and nested model types can be resolved. The zero value
// is an empty registry ready to use; it is safe for concurrent use. A
// registry belongs to its owner (an app, a test); there is no global one.
type Registry struct {
	mu   sync.RWMutex
	defs map[string]*Definition
}

// Add registers definitions. Adding a second definition with the same
// name is an error.
func (r *Registry) Add(defs ...*Definition) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.defs == nil {
		r.defs = map[string]*Definition{}
	}
	for _, d := range defs {
		if d == nil {
			return errors.New("model registry: nil definition")
		}
		if _, dup := r.defs[d.Name]; dup {
			return fmt.Errorf("model registry: model %s registered twice", d.Name)
		}
		r.defs[d.Name] = d
	}
	return nil
}

// Lookup returns the definition called name.
func (r *Registry) Lookup(name string) (*Definition, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	d, ok := r.defs[name]
	return d, ok
}

// Names returns the registered model names, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.defs))
	for n := range r.defs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Link is a relation with every model and key resolved.
type Link struct {
	Relation *Relation
	Source   *Definition
	Target   *Definition
	// Through is the join model of a hasManyThrough relation, else nil.
	Through *Definition
	// SourceKey is the property of Source and TargetKey the property of
	// Target whose values are equal for related instances: for belongsTo
	// the foreign key and the target's id, for hasMany/hasOne the source's
	// key and the foreign key on the target. For hasManyThrough they are
	// the source's and the target's keys, joined through ThroughFrom and
	// ThroughTo on the Through model.
	SourceKey, TargetKey   string
	ThroughFrom, ThroughTo string
}

// Resolve resolves relation name of def against the registry: the target
// (and through) models must be registered and every key must name a
// property.
func (r *Registry) Resolve(def *Definition, name string) (*Link, error) {
	rel := def.Relation(name)
	if rel == nil {
		return nil, fmt.Errorf("model %s has no relation %q", def.Name, name)
	}
	fail := func(err error) error {
		return &DefinitionError{Model: def.Name, Relation: name, Err: err}
	}
	target, ok := r.Lookup(rel.Target)
	if !ok {
		return nil, fail(fmt.Errorf("target model %s is not registered", rel.Target))
	}
	l := &Link{Relation: rel, Source: def, Target: target}
	switch rel.Type {
	case BelongsTo:
		l.SourceKey, l.TargetKey = rel.KeyFrom, rel.KeyTo
		if l.TargetKey == "" {
			l.TargetKey = target.IDName()
		}
	case HasMany, HasOne:
		l.SourceKey, l.TargetKey = rel.KeyFrom, rel.KeyTo
	case ReferencesMany:
		l.SourceKey, l.TargetKey = rel.KeyFrom, rel.KeyTo
		if l.TargetKey == "" {
			l.TargetKey = target.IDName()
		}
	case HasManyThrough:
		l.SourceKey, l.TargetKey = rel.KeyFrom, rel.KeyTo
		if l.TargetKey == "" {
			l.TargetKey = target.IDName()
		}
		through, ok := r.Lookup(rel.Through.Model)
		if !ok {
			return nil, fail(fmt.Errorf("through model %s is not registered", rel.Through.Model))
		}
		l.Through, l.ThroughFrom, l.ThroughTo = through, rel.Through.KeyFrom, rel.Through.KeyTo
		for _, k := range []string{l.ThroughFrom, l.ThroughTo} {
			if through.Property(k) == nil {
				return nil, fail(fmt.Errorf("through model %s has no property %q", through.Name, k))
			}
		}
		if d := rel.Polymorphic; d != "" {
			if p := through.Property(d); p == nil || p.Type != String {
				return nil, fail(fmt.Errorf("the discriminator %q must be a string property of the through model %s", d, through.Name))
			}
		}
	}
	if l.SourceKey == "" || def.Property(l.SourceKey) == nil {
		return nil, fail(fmt.Errorf("source key %q is not a property of %s", l.SourceKey, def.Name))
	}
	if l.TargetKey == "" || target.Property(l.TargetKey) == nil {
		return nil, fail(fmt.Errorf("target key %q is not a property of %s", l.TargetKey, target.Name))
	}
	return l, nil
}

// Check resolves every relation of every registered definition, and the
// model names properties refer to, and returns the first problem, so that a
// bad relation or a missing model fails at startup.
func (r *Registry) Check() error {
	for _, n := range r.Names() {
		d, _ := r.Lookup(n)
		for _, rel := range d.Relations {
			if _, err := r.Resolve(d, rel.Name); err != nil {
				return err
			}
		}
		for _, m := range nestedModels(d.Properties) {
			if _, ok := r.Lookup(m); !ok {
				return &DefinitionError{Model: d.Name, Err: fmt.Errorf("property type %s is not a registered model", m)}
			}
		}
	}
	return nil
}
