package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

func specCommand(stdout, stderr io.Writer) *cobra.Command {
	var yaml bool
	var version, out string
	cmd := &cobra.Command{
		Use:   "spec [DIR | URL]",
		Short: "Export an application's OpenAPI document (JSON or YAML, 3.1 or 3.0)",
		Long: `Export the OpenAPI document of an application made by lb new (DIR, default
".": runs "go run DIR spec", which builds the application and answers
GET /openapi.json in process, without listening; its data sources are
opened and migrated as at start), or of a running application (URL: its
/openapi.json, or the document's own URL).`,
		Example: "  lb spec > openapi.json\n  lb spec ./my-app --yaml --openapi 3.0 -o openapi.yaml\n  lb spec http://127.0.0.1:3000",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if version != "3.1" && version != "3.0" {
				return fmt.Errorf("--openapi %q: want 3.1 or 3.0", version)
			}
			src := "."
			if len(args) == 1 {
				src = args[0]
			}
			doc, err := exportSpec(cmd.Context(), src, yaml, version, stderr)
			if err != nil {
				return err
			}
			if out != "" {
				return os.WriteFile(out, doc, 0o644)
			}
			_, err = stdout.Write(doc)
			return err
		},
	}
	cmd.Flags().BoolVar(&yaml, "yaml", false, "YAML instead of JSON")
	cmd.Flags().StringVar(&version, "openapi", "3.1", "OpenAPI version: 3.1 or 3.0")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the document to this file instead of standard output")
	cmd.AddCommand(specDiffCommand(stdout))
	return cmd
}

// exportSpec returns the OpenAPI document of the application at src: a
// URL, or a project directory.
func exportSpec(ctx context.Context, src string, yaml bool, version string, stderr io.Writer) ([]byte, error) {
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		u, err := url.Parse(src)
		if err != nil {
			return nil, fmt.Errorf("spec: %w", err)
		}
		if !strings.HasSuffix(u.Path, ".json") && !strings.HasSuffix(u.Path, ".yaml") {
			name := "/openapi.json"
			if yaml {
				name = "/openapi.yaml"
			}
			u.Path = strings.TrimSuffix(u.Path, "/") + name
		}
		q := u.Query()
		q.Set("openapi", version)
		u.RawQuery = q.Encode()
		return fetch(ctx, u.String())
	}
	if _, err := os.Stat(src + "/app.go"); err != nil {
		return nil, fmt.Errorf("spec: %s is neither a URL nor a project made by lb new (no app.go)", src)
	}
	args := []string{"run", ".", "spec", "-openapi", version}
	if yaml {
		args = append(args, "-yaml")
	}
	c := exec.CommandContext(ctx, "go", args...)
	c.Dir, c.Stderr = src, stderr
	doc, err := c.Output()
	if err != nil {
		return nil, fmt.Errorf("spec: go run %s spec: %w", src, err)
	}
	return doc, nil
}

// fetch GETs a document, failing on a status other than 200.
func fetch(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return body, nil
}
