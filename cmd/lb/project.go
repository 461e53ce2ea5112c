package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/model"
	"go.yaml.in/yaml/v3"
)

// project is a zero-code application directory:
//
//	models/*.model.json|yaml                  LoopBack model definitions
//	datasources/*.datasource.json|yaml        data source configs
//	model-endpoints/*.rest-config.json|yaml   which model is served where
type project struct {
	dir         string
	models      map[string]*model.Definition // by model name
	datasources map[string]*datasourceConfig // by data source name
	endpoints   []*endpointConfig
}

// datasourceConfig is a LoopBack data source config. Keys it does not know
// (connector-specific settings such as localStorage) are ignored.
type datasourceConfig struct {
	Name      string `json:"name"`
	Connector string `json:"connector"`
	// File is the memory connector's persistence file (relative to the
	// project directory) or the SQLite database file. Empty: no persistence
	// (memory) or an in-memory database (sqlite).
	File     string `json:"file"`
	URL      string `json:"url"`
	Host     string `json:"host"`
	Port     int    `json:"port"`
	User     string `json:"user"`
	Password string `json:"password"`
	Database string `json:"database"`
	// NullForUnset makes every model served from the data source answer
	// null for its unset properties (see model.Settings.NullForUnset).
	NullForUnset bool `json:"nullForUnset"`

	source string // file the config came from
}

// endpointConfig is a LoopBack model-endpoints config (rest-config.json).
type endpointConfig struct {
	Model      string `json:"model"`
	Pattern    string `json:"pattern"`
	DataSource string `json:"dataSource"`
	BasePath   string `json:"basePath"`
	ReadOnly   bool   `json:"readOnly"`

	source string
}

// connectorNames maps the connector names LoopBack configs use to ours.
var connectorNames = map[string]string{
	"memory":     "memory",
	"sqlite":     "sqlite",
	"sqlite3":    "sqlite",
	"postgresql": "postgres",
	"postgres":   "postgres",
	"mysql":      "mysql",
	"mongodb":    "mongodb",
}

// loadProject reads and checks every definition under dir. Errors name the
// file and, where it applies, the model and the property.
func loadProject(dir string) (*project, error) {
	p := &project{dir: dir, models: map[string]*model.Definition{}, datasources: map[string]*datasourceConfig{}}
	if st, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("project directory: %w", err)
	} else if !st.IsDir() {
		return nil, fmt.Errorf("project directory %s: not a directory", dir)
	}
	var errs []error

	modelFiles := map[string]string{}
	for _, file := range listFiles(dir, "models", ".model") {
		data, err := os.ReadFile(file)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		def, err := parseModel(p.rel(file), data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, dup := modelFiles[def.Name]; dup {
			errs = append(errs, fmt.Errorf("%s: model %s: already defined in %s", p.rel(file), def.Name, prev))
			continue
		}
		modelFiles[def.Name] = p.rel(file)
		p.models[def.Name] = def
	}

	for _, name := range sortedKeys(p.models) {
		errs = append(errs, checkModelRefs(modelFiles[name], name, "", p.models[name].Properties, p.models)...)
	}

	for _, file := range listFiles(dir, "datasources", ".datasource") {
		ds := &datasourceConfig{source: p.rel(file)}
		if err := decodeConfig(file, ds); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ds.source, err))
			continue
		}
		switch {
		case ds.Name == "":
			errs = append(errs, fmt.Errorf("%s: data source: \"name\" is required", ds.source))
		case ds.Connector == "":
			errs = append(errs, fmt.Errorf("%s: data source %s: \"connector\" is required", ds.source, ds.Name))
		case connectorNames[ds.Connector] == "":
			errs = append(errs, fmt.Errorf("%s: data source %s: unknown connector %q (known: %s)", ds.source, ds.Name, ds.Connector, knownConnectors()))
		case p.datasources[ds.Name] != nil:
			errs = append(errs, fmt.Errorf("%s: data source %s: already defined in %s", ds.source, ds.Name, p.datasources[ds.Name].source))
		default:
			p.datasources[ds.Name] = ds
		}
	}

	paths := map[string]string{}
	for _, file := range listFiles(dir, "model-endpoints", ".rest-config") {
		ep := &endpointConfig{source: p.rel(file)}
		if err := decodeConfig(file, ep); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ep.source, err))
			continue
		}
		if err := p.checkEndpoint(ep, modelFiles); err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, dup := paths[ep.BasePath]; dup {
			errs = append(errs, fmt.Errorf("%s: model %s: base path %s is already served by %s", ep.source, ep.Model, ep.BasePath, prev))
			continue
		}
		paths[ep.BasePath] = ep.source
		p.endpoints = append(p.endpoints, ep)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(p.endpoints) == 0 {
		return nil, fmt.Errorf("%s: no model endpoints: add model-endpoints/<model>.rest-config.json ({\"model\": \"Todo\", \"dataSource\": \"db\"})", dir)
	}
	return p, nil
}

func (p *project) checkEndpoint(ep *endpointConfig, modelFiles map[string]string) error {
	switch {
	case ep.Model == "":
		return fmt.Errorf("%s: \"model\" is required", ep.source)
	case p.models[ep.Model] == nil:
		return fmt.Errorf("%s: model %s: no such model in models/ (defined: %s)", ep.source, ep.Model, strings.Join(sortedKeys(p.models), ", "))
	case ep.Pattern != "" && ep.Pattern != "CrudRest":
		return fmt.Errorf("%s: model %s: unsupported pattern %q (only CrudRest)", ep.source, ep.Model, ep.Pattern)
	case ep.DataSource == "":
		return fmt.Errorf("%s: model %s: \"dataSource\" is required", ep.source, ep.Model)
	case p.datasources[ep.DataSource] == nil:
		return fmt.Errorf("%s: model %s: no such data source %q in datasources/ (defined: %s)", ep.source, ep.Model, ep.DataSource, strings.Join(sortedKeys(p.datasources), ", "))
	}
	if ep.BasePath == "" {
		ep.BasePath = crud.BasePath(ep.Model)
	}
	if !strings.HasPrefix(ep.BasePath, "/") || strings.ContainsAny(ep.BasePath, "{}?#: ") || strings.HasSuffix(ep.BasePath, "/") {
		return fmt.Errorf("%s: model %s: base path %q must start with / and hold no {, }, ?, #, :, space or trailing /", ep.source, ep.Model, ep.BasePath)
	}
	def := p.models[ep.Model]
	if len(def.ID()) == 0 {
		return fmt.Errorf("%s: model %s (%s): no id property; mark one with \"id\": true", ep.source, ep.Model, modelFiles[ep.Model])
	}
	return nil
}

// checkModelRefs reports properties whose type names a model that is not
// defined: LoopBack reads an unknown type name as a model reference, so a
// typo ("strng") would otherwise pass silently.
func checkModelRefs(file, modelName, prefix string, props []*model.Property, models map[string]*model.Definition) []error {
	var errs []error
	for _, p := range props {
		path := prefix + p.Name
		for q := p; q != nil; q = q.Items {
			if q.Model != "" && len(q.Properties) == 0 && models[q.Model] == nil {
				errs = append(errs, fmt.Errorf("%s: model %s: property %q: unknown type %q (not a LoopBack type nor a model in models/)", file, modelName, path, q.Model))
			}
			errs = append(errs, checkModelRefs(file, modelName, path+".", q.Properties, models)...)
		}
	}
	return errs
}

// rel names file relative to the project directory.
func (p *project) rel(file string) string {
	if r, err := filepath.Rel(p.dir, file); err == nil {
		return filepath.ToSlash(r)
	}
	return file
}

// listFiles returns dir/sub/*<infix>.{json,yaml,yml}, sorted.
func listFiles(dir, sub, infix string) []string {
	var out []string
	for _, ext := range []string{".json", ".yaml", ".yml"} {
		m, _ := filepath.Glob(filepath.Join(dir, sub, "*"+infix+ext))
		out = append(out, m...)
	}
	slices.Sort(out)
	return out
}

// parseModel parses a model definition file; model.ParseSource names the
// file, the model and the property in its errors.
func parseModel(name string, data []byte) (*model.Definition, error) {
	return model.ParseSource(name, data)
}

// decodeConfig reads a JSON or YAML config file into v.
func decodeConfig(file string, v any) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	ext := filepath.Ext(file)
	return decodeConfigData(data, ext == ".yaml" || ext == ".yml", v)
}

// maxConfigSize bounds a data source or endpoint config file.
const maxConfigSize = 1 << 20

// decodeConfigData decodes a JSON (or, with isYAML, YAML) object into v,
// rejecting a value of the wrong type for a known key.
func decodeConfigData(data []byte, isYAML bool, v any) error {
	if len(data) > maxConfigSize {
		return fmt.Errorf("config larger than %d bytes", maxConfigSize)
	}
	if isYAML {
		var m map[string]any
		if err := yaml.Unmarshal(data, &m); err != nil {
			return fmt.Errorf("parse YAML: %w", err)
		}
		var err error
		if data, err = json.Marshal(m); err != nil {
			return fmt.Errorf("parse YAML: %w", err)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return fmt.Errorf("property %q: got a JSON %s; want %s", te.Field, te.Value, te.Type)
		}
		return fmt.Errorf("parse JSON: %w", err)
	}
	if dec.More() {
		return errors.New("parse JSON: text after the object")
	}
	return nil
}

func knownConnectors() string {
	return strings.Join(sortedKeys(connectorNames), ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
