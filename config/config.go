package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/loopback-go/lb/di"
)

// Config is an app's configuration: the sections of a JSON or YAML file
// ("rest", "datasources", "health" …) plus environment overrides. Read it
// with [Load] or [Parse]; bind sections with [Bind] or [Provide]. A
// Config is read-only after it is built and safe for concurrent use.
type Config struct {
	sections map[string]any
	env      func(string) (string, bool)
	prefix   string
}

// Options adjust [Load] and [Parse]. The zero value reads overrides from
// the process environment with the prefix "LB".
type Options struct {
	// Env looks up environment variables; nil means os.LookupEnv.
	Env func(string) (string, bool)
	// Prefix starts every override's name; "" means "LB".
	Prefix string
}

// Load reads the file at path, YAML when it ends in .yaml or .yml and JSON
// otherwise. A missing file is an error; use [Parse] with nil data for an
// app configured by the environment alone.
func Load(path string, opts Options) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	ext := strings.ToLower(filepath.Ext(path))
	c, err := Parse(data, ext == ".yaml" || ext == ".yml", opts)
	if err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	return c, nil
}

// Parse reads a configuration document: YAML when yamlDoc is set, JSON
// otherwise; nil or empty data is an empty configuration. The document
// must be an object of sections.
func Parse(data []byte, yamlDoc bool, opts Options) (*Config, error) {
	c := &Config{sections: map[string]any{}, env: opts.Env, prefix: opts.Prefix}
	if c.env == nil {
		c.env = os.LookupEnv
	}
	if c.prefix == "" {
		c.prefix = "LB"
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return c, nil
	}
	var doc any
	if yamlDoc {
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("invalid YAML: %w", err)
		}
	} else {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return nil, errors.New("the configuration must be an object of sections")
	}
	c.sections = m
	return c, nil
}

// Sections returns the names of the file's top-level sections.
func (c *Config) Sections() []string {
	out := make([]string, 0, len(c.sections))
	for k := range c.sections {
		out = append(out, k)
	}
	return out
}

// Bind decodes section into dst (a pointer to a struct, with json tags),
// then applies environment overrides, then runs dst's Validate method if
// it has one. An absent section leaves dst's values (its defaults) as
// they are.
//
// Every leaf field can be overridden by the variable named by the prefix,
// the section and the field's json names, upper case with camelCase words
// split, joined by "_": LB_REST_PORT for field "port" of section "rest",
// LB_DATASOURCES_DB_URL for "datasources" → "db" → "url",
// LB_TRACING_OTLP_ENDPOINT for "tracing" → "otlpEndpoint". Strings, bools,
// numbers and durations ("1.5s") are read from their text; in the file a
// time.Duration field takes such text too.
//
// Errors name the key: "rest.port: want a number, got string",
// "rest.prot: unknown key", "LB_REST_PORT (rest.port): want an integer:
// …", or the section and the message of Validate.
func Bind[T any](c *Config, section string, dst *T) error {
	if raw, ok := c.sections[section]; ok && raw != nil {
		raw = normalize(raw)
		if err := durations(raw, reflect.TypeFor[T](), section); err != nil {
			return fmt.Errorf("config: %w", err)
		}
		b, err := json.Marshal(raw)
		if err != nil {
			return fmt.Errorf("config: %s: %w", section, err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(dst); err != nil {
			return fmt.Errorf("config: %s", keyError(section, err))
		}
	}
	v := reflect.ValueOf(dst).Elem()
	if err := c.override(v, section, []string{c.prefix, envWord(section)}); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if val, ok := any(dst).(interface{ Validate() error }); ok {
		if err := val.Validate(); err != nil {
			return fmt.Errorf("config: %s: %w", section, err)
		}
	}
	return nil
}

// Key returns the di key a section is bound at by [Provide]:
// "config.<section>".
func Key[T any](section string) di.Key[T] { return di.NewKey[T]("config." + section) }

// Provide binds section, decoded into a T that starts as def, at
// [Key][T](section) in container, after [Bind] checked it: call it for
// each component at start, so that a bad key fails the app before it
// serves.
func Provide[T any](c *Config, container *di.Container, section string, def T) (T, error) {
	v := def
	if err := Bind(c, section, &v); err != nil {
		return def, err
	}
	di.Bind(container, Key[T](section)).To(v)
	return v, nil
}

// normalize turns YAML's map[any]any and json.Number into JSON-encodable
// values.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = normalize(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
		return x
	}
	return v
}

// durations replaces, in the decoded section raw, the text of every
// time.Duration field of t ("1.5s") by its nanoseconds, so files can write
// durations as people do.
func durations(raw any, t reflect.Type, key string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	m, ok := raw.(map[string]any)
	if !ok || t.Kind() != reflect.Struct {
		return nil
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			n, _, _ := strings.Cut(tag, ",")
			if n == "-" {
				continue
			}
			if n != "" {
				name = n
			}
		}
		v, ok := m[name]
		if !ok {
			continue
		}
		if f.Type == durationType {
			if s, ok := v.(string); ok {
				d, err := time.ParseDuration(s)
				if err != nil {
					return fmt.Errorf("%s.%s: want a duration such as 1.5s: %w", key, name, err)
				}
				m[name] = int64(d)
			}
			continue
		}
		if err := durations(v, f.Type, key+"."+name); err != nil {
			return err
		}
	}
	return nil
}

// keyError words a decoding error with the key it is about.
func keyError(section string, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		key := section
		if te.Field != "" {
			key += "." + te.Field
		}
		return fmt.Sprintf("%s: want %s, got %s", key, article(te.Type), te.Value)
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		name := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
		return fmt.Sprintf("%s.%s: unknown key", section, name)
	}
	return fmt.Sprintf("%s: %v", section, err)
}

func article(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return t.String()
}

var durationType = reflect.TypeFor[time.Duration]()

// override applies the environment to the fields of v, a struct.
func (c *Config) override(v reflect.Value, key string, env []string) error {
	if v.Kind() != reflect.Struct {
		return nil
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			n, _, _ := strings.Cut(tag, ",")
			if n == "-" {
				continue
			}
			if n != "" {
				name = n
			}
		}
		fk := key + "." + name
		fenv := append(append([]string(nil), env...), envWord(name))
		fv := v.Field(i)
		if fv.Kind() == reflect.Struct && f.Type != durationType {
			if err := c.override(fv, fk, fenv); err != nil {
				return err
			}
			continue
		}
		envName := strings.Join(fenv, "_")
		s, ok := c.env(envName)
		if !ok {
			continue
		}
		if err := setText(fv, s); err != nil {
			return fmt.Errorf("%s (%s): %w", envName, fk, err)
		}
	}
	return nil
}

// envWord spells a json name as in an environment variable: camelCase
// words split by "_", upper case ("otlpEndpoint" → "OTLP_ENDPOINT").
func envWord(name string) string {
	var b strings.Builder
	for i, r := range name {
		if r == '-' || r == '.' {
			b.WriteByte('_')
			continue
		}
		if i > 0 && r >= 'A' && r <= 'Z' {
			if p := name[i-1]; p >= 'a' && p <= 'z' || p >= '0' && p <= '9' {
				b.WriteByte('_')
			}
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

func setText(v reflect.Value, s string) error {
	if v.Type() == durationType {
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("want a duration such as 1.5s: %w", err)
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("want true or false: %w", err)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("want an integer: %w", err)
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("want a non-negative integer: %w", err)
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		n, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("want a number: %w", err)
		}
		v.SetFloat(n)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if err := setText(p.Elem(), s); err != nil {
			return err
		}
		v.Set(p)
	default:
		return fmt.Errorf("cannot be set from the environment (a %s)", v.Type())
	}
	return nil
}
