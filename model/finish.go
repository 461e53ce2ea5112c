package model

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// finish validates a definition built by FromStruct or Parse, fills the
// defaults (relation keys, hidden flags, array item types, composite id
// positions) and indexes it.
func finish(d *Definition, source string) error {
	fail := func(prop string, err error) error {
		return &DefinitionError{Source: source, Model: d.Name, Property: prop, Err: err}
	}
	if !isIdentifier(d.Name) {
		return &DefinitionError{Source: source, Model: d.Name, Err: fmt.Errorf("model name %q is not an identifier", d.Name)}
	}
	switch d.Settings.Strict {
	case StrictTrue, StrictFalse, StrictFilter:
	default:
		return fail("", fmt.Errorf("strict must be true, false or \"filter\", not %q", d.Settings.Strict))
	}
	if err := checkProps(d.Properties, "", fail); err != nil {
		return err
	}

	// Ids: plain "id" flags on several properties make a composite key in
	// declaration order; explicit positions must be distinct.
	var ids []*Property
	for _, p := range d.Properties {
		if p.ID < 0 {
			return fail(p.Name, errors.New("id position must be positive"))
		}
		if p.ID > 0 {
			ids = append(ids, p)
		}
	}
	if len(ids) > 1 && !slices.ContainsFunc(ids, func(p *Property) bool { return p.ID != 1 }) {
		for i, p := range ids {
			p.ID = i + 1
		}
	}
	seen := map[int]string{}
	for _, p := range ids {
		if other, dup := seen[p.ID]; dup {
			return fail(p.Name, fmt.Errorf("id position %d is also used by %q", p.ID, other))
		}
		seen[p.ID] = p.Name
	}

	if d.Settings.NullForUnset {
		applyNullForUnset(d.Properties)
	}

	// Hidden: the property flag and the model setting say the same thing.
	for _, h := range d.Settings.Hidden {
		p := findProperty(d.Properties, h)
		if p == nil {
			return fail(h, errors.New("listed in hidden but not declared"))
		}
		p.Hidden = true
	}
	for _, p := range d.Properties {
		if p.Hidden && !slices.Contains(d.Settings.Hidden, p.Name) {
			d.Settings.Hidden = append(d.Settings.Hidden, p.Name)
		}
	}

	for _, ix := range d.Settings.Indexes {
		if len(ix.Columns) == 0 {
			return fail("", fmt.Errorf("index %q has no properties", ix.Name))
		}
		for _, c := range ix.Columns {
			if findProperty(d.Properties, c) == nil {
				return fail(c, fmt.Errorf("index %q names an undeclared property", ix.Name))
			}
		}
	}

	idName := ""
	if len(ids) > 0 {
		idName = ids[0].Name
		for _, p := range ids {
			if p.ID == 1 {
				idName = p.Name
			}
		}
	}
	relNames := map[string]bool{}
	for _, r := range d.Relations {
		rfail := func(err error) error {
			return &DefinitionError{Source: source, Model: d.Name, Relation: r.Name, Err: err}
		}
		if r.Name == "" {
			return rfail(errors.New("relation has no name"))
		}
		if relNames[r.Name] {
			return rfail(errors.New("declared twice"))
		}
		relNames[r.Name] = true
		if p := findProperty(d.Properties, r.Name); p != nil {
			return rfail(errors.New("has the name of a property"))
		}
		if r.Target == "" {
			return rfail(errors.New("no target model"))
		}
		switch r.OnDelete {
		case "", Restrict, Cascade, SetNull:
		default:
			return rfail(fmt.Errorf("onDelete %q: want restrict, cascade or setNull", r.OnDelete))
		}
		if r.Polymorphic != "" {
			switch r.Type {
			case BelongsTo, HasOne:
				if p := findProperty(d.Properties, r.Polymorphic); p == nil || p.Type != String {
					return rfail(fmt.Errorf("the discriminator %q must be a string property", r.Polymorphic))
				}
			case HasManyThrough:
				// The discriminator is a property of the through model,
				// checked when the relation is resolved.
			default:
				return rfail(fmt.Errorf("polymorphic is supported on belongsTo, hasOne and hasManyThrough relations, not on %s", r.Type))
			}
			if r.OnDelete != "" {
				return rfail(errors.New("onDelete is not supported on a polymorphic relation"))
			}
		}
		if r.OnDelete != "" && r.Type != BelongsTo {
			return rfail(fmt.Errorf("onDelete belongs on the belongsTo relation that holds the foreign key, not on a %s relation", r.Type))
		}
		switch r.Type {
		case HasMany, HasOne:
			if r.KeyTo == "" {
				r.KeyTo = r.ForeignKey
			}
			if r.KeyTo == "" {
				r.KeyTo = lowerFirst(d.Name) + "Id"
			}
			r.ForeignKey = r.KeyTo
			if r.KeyFrom == "" {
				r.KeyFrom = idName
			}
			if r.KeyFrom == "" || findProperty(d.Properties, r.KeyFrom) == nil {
				return rfail(fmt.Errorf("source key %q is not a property", r.KeyFrom))
			}
		case BelongsTo:
			if r.KeyFrom == "" {
				r.KeyFrom = r.ForeignKey
			}
			if r.KeyFrom == "" {
				r.KeyFrom = r.Name + "Id"
			}
			r.ForeignKey = r.KeyFrom
			if findProperty(d.Properties, r.KeyFrom) == nil {
				return rfail(fmt.Errorf("foreign key %q is not a property", r.KeyFrom))
			}
		case ReferencesMany:
			if r.KeyFrom == "" {
				r.KeyFrom = r.ForeignKey
			}
			if r.KeyFrom == "" {
				r.KeyFrom = lowerFirst(r.Target) + "Ids"
			}
			r.ForeignKey = r.KeyFrom
			if p := findProperty(d.Properties, r.KeyFrom); p == nil || p.Type != Array {
				return rfail(fmt.Errorf("the keys %q must be an array property", r.KeyFrom))
			}
		case HasManyThrough:
			if r.Through == nil || r.Through.Model == "" {
				return rfail(errors.New("hasManyThrough needs a through model"))
			}
			if r.KeyFrom == "" {
				r.KeyFrom = idName
			}
			if r.Through.KeyFrom == "" {
				r.Through.KeyFrom = lowerFirst(d.Name) + "Id"
			}
			if r.Through.KeyTo == "" {
				r.Through.KeyTo = lowerFirst(r.Target) + "Id"
			}
		default:
			return rfail(fmt.Errorf("unknown relation type %q", r.Type))
		}
	}
	d.index()
	return nil
}

// applyNullForUnset makes the properties that may have no value (neither
// ids nor required) nullable.
func applyNullForUnset(props []*Property) {
	for _, p := range props {
		if p.ID == 0 && !p.Required {
			p.Nullable = true
		}
	}
}

// WithNullForUnset returns a copy of d with [Settings.NullForUnset] set
// and applied: every property that is neither an id nor required is
// nullable. It is how a data-source-level setting reaches the models
// served from that data source. d itself is not changed; when d already
// has the setting, d is returned.
func (d *Definition) WithNullForUnset() *Definition {
	if d.Settings.NullForUnset {
		return d
	}
	c := *d
	c.Settings.NullForUnset = true
	c.Properties = make([]*Property, len(d.Properties))
	for i, p := range d.Properties {
		cp := *p
		c.Properties[i] = &cp
	}
	applyNullForUnset(c.Properties)
	c.byName = nil
	if d.byName != nil {
		// Only the top level is new; nested properties are shared and
		// already indexed.
		c.byName = make(map[string]*Property, len(c.Properties))
		for _, p := range c.Properties {
			c.byName[p.Name] = p
		}
	}
	return &c
}

var defaultFns = map[string][]Type{
	"uuid": {String}, "uuidv4": {String}, "guid": {String},
	"now": {Date, String},
}

func checkProps(props []*Property, prefix string, fail func(string, error) error) error {
	names := map[string]bool{}
	for _, p := range props {
		path := prefix + p.Name
		if p.Name == "" {
			return fail(prefix, errors.New("property without a name"))
		}
		if strings.ContainsAny(p.Name, ".[]") {
			return fail(path, errors.New("property names may not contain '.', '[' or ']'"))
		}
		if names[p.Name] {
			return fail(path, errors.New("declared twice"))
		}
		names[p.Name] = true
		if prefix != "" && p.ID > 0 {
			return fail(path, errors.New("a nested property cannot be an id"))
		}
		if err := checkProp(p, path, fail); err != nil {
			return err
		}
	}
	return nil
}

func checkProp(p *Property, path string, fail func(string, error) error) error {
	switch p.Type {
	case String, Number, Boolean, Date, Object, Array, Any, Buffer:
	case "":
		return fail(path, errors.New("no type"))
	default:
		return fail(path, fmt.Errorf("unknown type %q", p.Type))
	}
	if p.Integer && p.Type != Number {
		return fail(path, fmt.Errorf("integer applies to numbers, not %s", p.Type))
	}
	if p.Type == Array && p.Items == nil {
		p.Items = &Property{Type: Any}
	}
	if p.Type != Array && p.Items != nil {
		return fail(path, fmt.Errorf("items given for a %s property", p.Type))
	}
	if len(p.Properties) > 0 && p.Type != Object {
		return fail(path, fmt.Errorf("nested properties given for a %s property", p.Type))
	}
	if p.DefaultFn != "" {
		types, ok := defaultFns[p.DefaultFn]
		if !ok {
			return fail(path, fmt.Errorf("unknown default function %q (want uuid, uuidv4, guid or now)", p.DefaultFn))
		}
		if !slices.Contains(types, p.Type) {
			return fail(path, fmt.Errorf("default function %q does not apply to a %s property", p.DefaultFn, p.Type))
		}
	}
	if p.Default != nil {
		v, err := normalize(p, p.Default)
		if err != nil {
			return fail(path, fmt.Errorf("default: %w", err))
		}
		p.Default = v
	}
	if s := p.JSONSchema; s != nil {
		if s.Pattern != "" {
			if _, err := regexp.Compile(s.Pattern); err != nil {
				return fail(path, fmt.Errorf("pattern: %w", err))
			}
		}
		if s.MinLength != nil && s.MaxLength != nil && *s.MinLength > *s.MaxLength {
			return fail(path, errors.New("minLength is above maxLength"))
		}
		if s.Minimum != nil && s.Maximum != nil && *s.Minimum > *s.Maximum {
			return fail(path, errors.New("minimum is above maximum"))
		}
		if s.MinItems != nil && s.MaxItems != nil && *s.MinItems > *s.MaxItems {
			return fail(path, errors.New("minItems is above maxItems"))
		}
	}
	if len(p.Properties) > 0 {
		if err := checkProps(p.Properties, path+".", fail); err != nil {
			return err
		}
	}
	if p.Items != nil {
		return checkProp(p.Items, path+"[]", fail)
	}
	return nil
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || r == '$' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r) {
			continue
		}
		return false
	}
	return true
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
