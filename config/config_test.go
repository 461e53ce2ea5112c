package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/config"
	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/health"
	"github.com/loopback-go/lb/metrics"
	"github.com/loopback-go/lb/tracing"
)

type restCfg struct {
	Host        string        `json:"host"`
	Port        int           `json:"port"`
	GracePeriod time.Duration `json:"-"`
	Grace       string        `json:"gracePeriod"`
	Debug       bool          `json:"debug"`
}

func (r *restCfg) Validate() error {
	if r.Port < 0 || r.Port > 65535 {
		return errors.New("port: want 0 to 65535")
	}
	return nil
}

type dsCfg struct {
	DB struct {
		URL      string        `json:"url"`
		MaxConns int           `json:"maxConns"`
		Timeout  time.Duration `json:"timeout"`
	} `json:"db"`
}

func env(m map[string]string) config.Options {
	return config.Options{Env: func(k string) (string, bool) { v, ok := m[k]; return v, ok }}
}

func TestLoadYAMLWithOverrides(t *testing.T) {
	c, err := config.Load("testdata/app.yaml", env(map[string]string{
		"LB_REST_PORT": "8080", "LB_DATASOURCES_DB_TIMEOUT": "1.5s", "LB_REST_DEBUG": "true",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var r restCfg
	if err := config.Bind(c, "rest", &r); err != nil {
		t.Fatal(err)
	}
	if r.Host != "0.0.0.0" || r.Port != 8080 || r.Grace != "5s" || !r.Debug {
		t.Errorf("rest: got %+v; want host 0.0.0.0, port 8080 (env), gracePeriod 5s, debug", r)
	}
	var ds dsCfg
	if err := config.Bind(c, "datasources", &ds); err != nil {
		t.Fatal(err)
	}
	if ds.DB.URL != "postgres://localhost/todo" || ds.DB.MaxConns != 8 || ds.DB.Timeout != 1500*time.Millisecond {
		t.Errorf("datasources: got %+v", ds)
	}
	// An absent section keeps the defaults, overridable by the environment.
	cont := di.NewContainer(nil, "app", di.Application)
	got, err := config.Provide(c, cont, "metrics", struct {
		Path string `json:"path"`
	}{Path: "/metrics"})
	if err != nil || got.Path != "/metrics" {
		t.Errorf("absent section: got %+v, %v", got, err)
	}
	bound, err := di.Get(cont, config.Key[struct {
		Path string `json:"path"`
	}]("metrics"))
	if err != nil || bound.Path != "/metrics" {
		t.Errorf("bound value: got %+v, %v", bound, err)
	}
}

func TestErrorsNameTheKey(t *testing.T) {
	tests := []struct {
		name, doc string
		env       map[string]string
		want      string
	}{
		{"unknown key", `{"rest":{"prot":3000}}`, nil, "config: rest.prot: unknown key"},
		{"wrong type", `{"rest":{"port":"x"}}`, nil, "config: rest.port: want a number, got string"},
		{"validate", `{"rest":{"port":70000}}`, nil, "config: rest: port: want 0 to 65535"},
		{"env", `{}`, map[string]string{"LB_REST_PORT": "eighty"}, "config: LB_REST_PORT (rest.port): want an integer"},
		{"env bool", `{}`, map[string]string{"LB_REST_DEBUG": "yes please"}, "config: LB_REST_DEBUG (rest.debug): want true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Parse([]byte(tt.doc), false, env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			var r restCfg
			if err := config.Bind(c, "rest", &r); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got %v; want %q…", err, tt.want)
			}
		})
	}
	for _, doc := range []string{`[1,2]`, `{"rest":`, `"x"`} {
		if _, err := config.Parse([]byte(doc), false, config.Options{}); err == nil {
			t.Errorf("Parse(%s): got no error", doc)
		}
	}
	if _, err := config.Parse([]byte("rest: [\n"), true, config.Options{}); err == nil || !strings.Contains(err.Error(), "invalid YAML") {
		t.Errorf("bad YAML: got %v", err)
	}
	if _, err := config.Load("testdata/missing.json", config.Options{}); err == nil {
		t.Errorf("missing file: got no error")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"rest":{"port":3000,"host":"x"}}`), false)
	f.Add([]byte("rest:\n  port: 3000\n"), true)
	f.Add([]byte(`{"rest":{"port":1e999}}`), false)
	f.Fuzz(func(t *testing.T, data []byte, yamlDoc bool) {
		c, err := config.Parse(data, yamlDoc, config.Options{Env: func(string) (string, bool) { return "", false }})
		if err != nil {
			return
		}
		var r restCfg
		_ = config.Bind(c, "rest", &r) // must not panic
	})
}

func TestComponentSections(t *testing.T) {
	doc := []byte(`
health:
  healthPath: /internal/health
  timeout: 2s
metrics:
  path: /internal/metrics
tracing:
  serviceName: todo
`)
	c, err := config.Parse(doc, true, env(map[string]string{"LB_TRACING_OTLP_ENDPOINT": "http://127.0.0.1:4318"}))
	if err != nil {
		t.Fatal(err)
	}
	cont := di.NewContainer(nil, "app", di.Application)
	h, err := config.Provide(c, cont, "health", health.Config{})
	if err != nil || h.HealthPath != "/internal/health" || h.Timeout != 2*time.Second {
		t.Errorf("health: got %+v, %v", h, err)
	}
	m, err := config.Provide(c, cont, "metrics", metrics.Config{})
	if err != nil || m.Path != "/internal/metrics" {
		t.Errorf("metrics: got %+v, %v", m, err)
	}
	tr, err := config.Provide(c, cont, "tracing", tracing.Config{})
	if err != nil || tr.ServiceName != "todo" || tr.OTLPEndpoint != "http://127.0.0.1:4318" {
		t.Errorf("tracing: got %+v, %v", tr, err)
	}
	bad, _ := config.Parse([]byte("health:\n  timeout: soon\n"), true, config.Options{})
	if _, err := config.Provide(bad, cont, "health", health.Config{}); err == nil || !strings.Contains(err.Error(), "health.timeout: want a duration") {
		t.Errorf("bad duration: got %v; want an error naming health.timeout", err)
	}
}
