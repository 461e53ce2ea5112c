package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConfigFileYAML(t *testing.T) {
	p := writeFile(t, "todo.yaml", `
rest: {host: 0.0.0.0, port: 8080, drainDelay: 2s}
datasources:
  db: {file: "", url: "postgres://db/todo"}
accessLog: {format: combined}
tracing: {otlpEndpoint: "http://collector:4318"}
geocoder: {url: "http://geo.example"}
`)
	cfg, err := configFromEnv(envOf(map[string]string{"CONFIG_FILE": p}))
	if err != nil {
		t.Fatal(err)
	}
	want := config{Host: "0.0.0.0", Port: 8080, DrainDelay: 2 * time.Second, DBFile: "", DBURL: "postgres://db/todo",
		AccessLog: "combined", OTLPEndpoint: "http://collector:4318", GeocoderURL: "http://geo.example"}
	if cfg != want {
		t.Errorf("got %+v\nwant %+v", cfg, want)
	}
}

// The file sets what it names; LB_… overrides beat the file, and the
// example's own variables beat both.
func TestConfigFileOverrides(t *testing.T) {
	p := writeFile(t, "todo.json", `{"rest": {"port": 8080, "host": "10.0.0.1"}, "accessLog": {"format": "common"}}`)
	cfg, err := configFromEnv(envOf(map[string]string{
		"CONFIG_FILE": p, "LB_REST_PORT": "9090", "LB_REST_HOST": "10.0.0.2", "HOST": "10.0.0.3", "ACCESS_LOG": "json",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Port != 9090 || cfg.Host != "10.0.0.3" || cfg.AccessLog != "" || cfg.DBFile != "data/db.json" {
		t.Errorf("got %+v; want port 9090 (LB_REST_PORT), host 10.0.0.3 (HOST), JSON access log (ACCESS_LOG), the default DB file", cfg)
	}
}

func TestConfigFileErrors(t *testing.T) {
	for _, tt := range []struct{ name, text, env, want string }{
		{"bad.json", `{"rest": {"prot": 1}}`, "", "rest.prot"},
		{"bad.json", `{"rest": {"port": "x"}}`, "", "rest.port"},
		{"bad.json", `{"rest": {"port": 70000}}`, "", "rest: port"},
		{"bad.yaml", "accessLog: {format: xml}\n", "", "accessLog: format"},
		{"bad.yaml", "datasource: {}\n", "", "datasource: unknown section"},
		{"bad.yaml", "rest: {port: 1}\n", "nope", "LB_REST_PORT"},
		{"bad.json", `{"rest": `, "", "bad.json"},
	} {
		env := map[string]string{"CONFIG_FILE": writeFile(t, tt.name, tt.text)}
		if tt.env != "" {
			env["LB_REST_PORT"] = tt.env
		}
		_, err := configFromEnv(envOf(env))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "CONFIG_FILE") {
			t.Errorf("%s %q: got %v; want an error naming CONFIG_FILE and %q", tt.name, tt.text, err, tt.want)
		}
	}
	if _, err := configFromEnv(envOf(map[string]string{"CONFIG_FILE": filepath.Join(t.TempDir(), "missing.yaml")})); err == nil {
		t.Errorf("a missing CONFIG_FILE: no error")
	}
}

// The example file in README.md loads.
func TestConfigFileREADME(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "```yaml\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("README.md has no yaml block")
	}
	cfg, err := configFromEnv(envOf(map[string]string{"CONFIG_FILE": writeFile(t, "todo.yaml", block)}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "0.0.0.0" || cfg.DrainDelay != 2*time.Second || cfg.OTLPEndpoint != "http://127.0.0.1:4318" {
		t.Errorf("README example: got %+v", cfg)
	}
}
