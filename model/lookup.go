package model

import (
	"cmp"
	"slices"
	"strings"
)

// Property returns the top-level property called name, or nil.
func (d *Definition) Property(name string) *Property {
	if d == nil {
		return nil
	}
	if d.byName != nil {
		return d.byName[name]
	}
	return findProperty(d.Properties, name)
}

// Path returns the property a dotted path names ("address.city"), walking
// into nested object properties and through arrays of objects. When the
// walk reaches a property of type Any, or an Object or Array without a
// known shape, the rest of the path is free-form: that property is
// returned with ok true. It returns nil, false when a segment names no
// property.
func (d *Definition) Path(path string) (p *Property, ok bool) {
	if d == nil {
		return nil, false
	}
	head, rest, dotted := strings.Cut(path, ".")
	p = d.Property(head)
	if p == nil {
		return nil, false
	}
	if !dotted {
		return p, true
	}
	return p.Path(rest)
}

// Path walks a dotted path below p, like [Definition.Path].
func (p *Property) Path(path string) (*Property, bool) {
	for path != "" {
		elem := p
		for elem.Type == Array && elem.Items != nil {
			elem = elem.Items
		}
		if elem.Type == Any || len(elem.Properties) == 0 && (elem.Type == Object || elem.Type == Array) {
			return elem, true
		}
		if elem.Type != Object {
			return nil, false
		}
		head, rest, _ := strings.Cut(path, ".")
		next := elem.Property(head)
		if next == nil {
			return nil, false
		}
		p, path = next, rest
	}
	return p, true
}

// Property returns the nested property called name of an Object property,
// or nil.
func (p *Property) Property(name string) *Property {
	if p == nil {
		return nil
	}
	if p.byName != nil {
		return p.byName[name]
	}
	return findProperty(p.Properties, name)
}

func findProperty(props []*Property, name string) *Property {
	for _, p := range props {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// ID returns the id properties in key order (one for a simple key, several
// for a composite key); nil when the model has no id.
func (d *Definition) ID() []*Property {
	var ids []*Property
	for _, p := range d.Properties {
		if p.ID > 0 {
			ids = append(ids, p)
		}
	}
	slices.SortStableFunc(ids, func(a, b *Property) int { return cmp.Compare(a.ID, b.ID) })
	return ids
}

// IDName returns the name of the first id property, or "" when the model
// has no id.
func (d *Definition) IDName() string {
	if ids := d.ID(); len(ids) > 0 {
		return ids[0].Name
	}
	return ""
}

// Relation returns the relation called name, or nil.
func (d *Definition) Relation(name string) *Relation {
	if d == nil {
		return nil
	}
	for _, r := range d.Relations {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// IsHidden reports whether the top-level property name is hidden, by its
// own Hidden flag or by Settings.Hidden.
func (d *Definition) IsHidden(name string) bool {
	if p := d.Property(name); p != nil && p.Hidden {
		return true
	}
	return slices.Contains(d.Settings.Hidden, name)
}

// TableName returns the table or collection name for a connector
// ("postgresql", "mysql", "sqlite3", ...): the connector setting "table"
// (or "collection"), else Settings.Table, else the model name.
func (d *Definition) TableName(connector string) string {
	if c := d.Settings.Connector[connector]; c != nil {
		for _, k := range []string{"table", "collection", "tableName"} {
			if s, ok := c[k].(string); ok && s != "" {
				return s
			}
		}
	}
	if d.Settings.Table != "" {
		return d.Settings.Table
	}
	return d.Name
}

// ColumnName returns the column name of p for a connector: the connector
// setting "columnName" (or "column", "field"), else Column, else Name.
func (p *Property) ColumnName(connector string) string {
	if c := p.Connector[connector]; c != nil {
		for _, k := range []string{"columnName", "column", "field"} {
			if s, ok := c[k].(string); ok && s != "" {
				return s
			}
		}
	}
	if p.Column != "" {
		return p.Column
	}
	return p.Name
}

// DataType returns the connector setting "dataType" of p for a connector,
// or "" when none is set.
func (p *Property) DataType(connector string) string {
	if c := p.Connector[connector]; c != nil {
		if s, ok := c["dataType"].(string); ok {
			return s
		}
	}
	return ""
}

// index fills the name lookups of d and of its nested properties.
func (d *Definition) index() {
	d.byName = indexProps(d.Properties)
}

func indexProps(props []*Property) map[string]*Property {
	m := make(map[string]*Property, len(props))
	for _, p := range props {
		m[p.Name] = p
		if len(p.Properties) > 0 {
			p.byName = indexProps(p.Properties)
		}
		for it := p.Items; it != nil; it = it.Items {
			if len(it.Properties) > 0 {
				it.byName = indexProps(it.Properties)
			}
		}
	}
	return m
}
