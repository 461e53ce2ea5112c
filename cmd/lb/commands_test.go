package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestHelp checks that every command has a description and an example, and
// that --help prints them.
func TestHelp(t *testing.T) {
	root := newRoot(context.Background(), &bytes.Buffer{}, &bytes.Buffer{})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			if sub.Short == "" || sub.Example == "" {
				t.Errorf("lb %s: no short description or example", sub.CommandPath())
			}
			if sub.Name() != "serve" { // serve parses its own flags
				out, err := lb(t, append(strings.Fields(strings.TrimPrefix(sub.CommandPath(), "lb ")), "--help")...)
				if err != nil || !strings.Contains(out, "Examples:") || !strings.Contains(out, strings.TrimSpace(sub.Example)) {
					t.Errorf("lb %s --help: %v\n%s", sub.CommandPath(), err, out)
				}
			}
			walk(sub)
		}
	}
	walk(root)
}

// TestConfigFlag sets flags from --config, and refuses unknown ones.
func TestConfigFlag(t *testing.T) {
	dir := t.TempDir()
	mustLB(t, "new", "app", "-C", dir, "--skip-tidy")
	app := filepath.Join(dir, "app")
	mustLB(t, "model", "Note", "-C", app, "--config", `{"property":["text:string:required","stars:integer"],"description":"is a note."}`)
	src, err := os.ReadFile(filepath.Join(app, "note.go"))
	if err != nil || !strings.Contains(string(src), `Text  string `+"`"+`json:"text" required:"true"`+"`") || !strings.Contains(string(src), "// Note is a note.") {
		t.Errorf("note.go from --config:\n%s", src)
	}
	if _, err := lb(t, "datasource", "db", "-C", app, "--config", `{"conector":"sqlite"}`); err == nil || !strings.Contains(err.Error(), `no flag "conector"`) {
		t.Errorf("unknown --config key: %v", err)
	}
	if _, err := lb(t, "datasource", "db", "-C", app, "--config", `[1]`); err == nil {
		t.Error("--config not an object: no error")
	}
	mustLB(t, "datasource", "db", "-C", app, "--config", `{"connector":"sqlite","url":"data/notes.db"}`)
	if src, _ := os.ReadFile(filepath.Join(app, "db_datasource.go")); !strings.Contains(string(src), `"data/notes.db"`) || !strings.Contains(string(src), "sqlite.New") {
		t.Errorf("db_datasource.go from --config:\n%s", src)
	}
}

func TestVersion(t *testing.T) {
	out := mustLB(t, "version")
	if !strings.HasPrefix(out, "lb v") || !strings.Contains(out, "(github.com/loopback-go/lb)\ngo 1.") {
		t.Errorf("lb version: %q", out)
	}
}
