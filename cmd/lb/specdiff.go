package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
	"github.com/spf13/cobra"
)

// errBreaking is returned by lb spec diff when it finds a breaking change,
// so that the command exits non-zero and gates CI.
var errBreaking = errors.New("breaking changes found")

// apiChange is one difference between two OpenAPI documents, as lb spec
// diff reports it.
type apiChange struct {
	// Level is "breaking", "warning" (may break clients) or "info".
	Level       string `json:"level"`
	ID          string `json:"id"`
	Operation   string `json:"operation,omitempty"`
	Path        string `json:"path,omitempty"`
	OperationID string `json:"operationId,omitempty"`
	Text        string `json:"text"`
}

func specDiffCommand(stdout io.Writer) *cobra.Command {
	var format string
	var failOn string
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Review the changes between two OpenAPI documents; exit 1 on a breaking change",
		Long: `Compare two OpenAPI documents (files, URLs, or "-" for standard input; JSON
or YAML; 3.0 or 3.1) with oasdiff: added, removed and changed operations,
parameters, request and response schemas and security, each classified as
breaking (removed operation, response or property, new required parameter or
property, narrowed type or enum, changed security...), warning or info.
Prints text, Markdown (for a pull-request comment) or JSON, and exits 1 when
there is a breaking change (--fail-on warning: also on warnings; none: never).`,
		Example: "  lb spec -o new.json && lb spec diff old.json new.json\n" +
			"  lb spec diff --format markdown https://api.example.com/openapi.json openapi.json",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "markdown" && format != "json" {
				return fmt.Errorf("--format %q: want text, markdown or json", format)
			}
			if failOn != "breaking" && failOn != "warning" && failOn != "none" {
				return fmt.Errorf("--fail-on %q: want breaking, warning or none", failOn)
			}
			var docs [2][]byte
			for i, src := range args {
				data, err := readDocument(cmd.Context(), src, cmd.InOrStdin())
				if err != nil {
					return err
				}
				docs[i] = data
			}
			changes, err := diffSpecs(docs[0], docs[1], args[0], args[1])
			if err != nil {
				return err
			}
			if err := printChanges(stdout, format, changes); err != nil {
				return err
			}
			for _, c := range changes {
				if c.Level == "breaking" && failOn != "none" || c.Level == "warning" && failOn == "warning" {
					return errBreaking
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output: text, markdown or json")
	cmd.Flags().StringVar(&failOn, "fail-on", "breaking", "exit 1 on: breaking, warning (or breaking), none")
	return cmd
}

// readDocument reads an OpenAPI document from a file, a URL or "-".
func readDocument(ctx context.Context, src string, stdin io.Reader) ([]byte, error) {
	switch {
	case src == "-":
		return io.ReadAll(io.LimitReader(stdin, 64<<20))
	case strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://"):
		return fetch(ctx, src)
	}
	return os.ReadFile(src)
}

// diffSpecs compares two OpenAPI documents with oasdiff's checks. The
// documents are loaded without following external references.
func diffSpecs(old, new []byte, oldName, newName string) ([]apiChange, error) {
	var infos [2]*load.SpecInfo
	for i, d := range []struct {
		data []byte
		name string
	}{{old, oldName}, {new, newName}} {
		loader := openapi3.NewLoader()
		loader.IsExternalRefsAllowed = false
		info, err := load.NewSpecInfoFromData(loader, d.data, d.name)
		if err != nil {
			return nil, fmt.Errorf("%s: not an OpenAPI document: %w", d.name, err)
		}
		infos[i] = info
	}
	d, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), infos[0], infos[1])
	if err != nil {
		return nil, fmt.Errorf("diff %s %s: %w", oldName, newName, err)
	}
	found := checker.CheckBackwardCompatibilityUntilLevel(checker.NewConfig(checker.GetAllChecks()), d, sources, checker.INFO)
	l := checker.NewDefaultLocalizer()
	changes := make([]apiChange, 0, len(found))
	for _, c := range found {
		level := "info"
		switch c.GetLevel() {
		case checker.ERR:
			level = "breaking"
		case checker.WARN:
			level = "warning"
		}
		changes = append(changes, apiChange{Level: level, ID: c.GetId(), Operation: c.GetOperation(),
			Path: c.GetPath(), OperationID: c.GetOperationId(), Text: c.GetUncolorizedText(l)})
	}
	return changes, nil
}

// printChanges writes the changes as text, Markdown or JSON.
func printChanges(w io.Writer, format string, changes []apiChange) error {
	counts := map[string]int{}
	for _, c := range changes {
		counts[c.Level]++
	}
	summary := fmt.Sprintf("%d changes: %d breaking, %d warnings, %d info", len(changes), counts["breaking"], counts["warning"], counts["info"])
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"changes": changes, "breaking": counts["breaking"], "warnings": counts["warning"], "info": counts["info"]})
	case "markdown":
		fmt.Fprintf(w, "### API changes\n\n%s\n\n", summary)
		if len(changes) == 0 {
			_, err := fmt.Fprintln(w, "No changes to the API.")
			return err
		}
		fmt.Fprintln(w, "| Level | Operation | Change |\n|---|---|---|")
		for _, c := range changes {
			level := c.Level
			if level == "breaking" {
				level = "**breaking**"
			}
			fmt.Fprintf(w, "| %s | `%s %s` | %s |\n", level, c.Operation, c.Path, strings.ReplaceAll(c.Text, "|", `\|`))
		}
		return nil
	}
	for _, c := range changes {
		fmt.Fprintf(w, "%-8s %s %s: %s\n", c.Level, c.Operation, c.Path, c.Text)
	}
	_, err := fmt.Fprintln(w, summary)
	return err
}
