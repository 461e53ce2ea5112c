package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/loopback-go/lb/internal/gen"
	"github.com/loopback-go/lb/openapi"
	"github.com/spf13/cobra"
)

// lbModule is the module path of LoopBack for Go.
const lbModule = "github.com/loopback-go/lb"

// newRoot returns the lb command tree.
func newRoot(ctx context.Context, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "lb",
		Short:         "LoopBack for Go: scaffold, serve and migrate applications",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetContext(ctx)
	var dir string
	var force bool
	root.PersistentFlags().StringVarP(&dir, "dir", "C", ".", "project directory")
	root.PersistentFlags().BoolVar(&force, "force", false, "overwrite existing files")
	root.PersistentFlags().String("config", "", `flags as a JSON object, as lb4's --config: '{"connector":"sqlite","property":["title:string:required"]}'`)
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		cfg, _ := cmd.Flags().GetString("config")
		if cfg == "" {
			return nil
		}
		return applyConfig(cmd, cfg)
	}
	writer := func() *gen.Writer { return &gen.Writer{Dir: dir, Force: force, Log: stdout} }

	root.AddCommand(
		newCommand(stdout, &dir, &force),
		importLB4Command(stdout, &dir, &force),
		modelCommand(writer),
		datasourceCommand(writer),
		serviceCommand(writer),
		extensionPointCommand(writer),
		extensionCommand(writer),
		repositoryCommand(writer),
		controllerCommand(writer),
		restCrudCommand(writer),
		relationCommand(writer),
		openapiCommand(writer),
		discoverCommand(writer, stdout),
		observerCommand(writer),
		interceptorCommand(writer),
		migrateCommand(&dir, stdout, stderr),
		versionCommand(stdout),
		specCommand(stdout, stderr),
		&cobra.Command{
			Use:                "serve [-host HOST] [-port PORT] DIR",
			Short:              "Serve the JSON models of DIR as CRUD REST APIs (no Go code)",
			Example:            "  lb serve -port 3000 ./my-models",
			DisableFlagParsing: true,
			RunE: func(cmd *cobra.Command, args []string) error {
				return serveCommand(cmd.Context(), args, stdout, stderr)
			},
		},
	)
	return root
}

func newCommand(stdout io.Writer, dir *string, force *bool) *cobra.Command {
	var o gen.AppOptions
	var skipTidy bool
	cmd := &cobra.Command{
		Use:   "new NAME",
		Short: "Create an application in the directory NAME",
		Long: `Create an application in DIR/NAME (DIR is -C, default ".") with the shape of the todo example: main.go (serve, or
migrate), app.go (the wiring other lb commands add to), GET /ping, the API
explorer, tests, a README and ci.sh. Then runs go mod tidy (--skip-tidy not to).`,
		Example: "  lb new todo-app --module example.com/todo-app\n  cd todo-app && go run .",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			if _, err := createApp(cmd.Context(), o, *dir, *force, skipTidy, stdout); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "\nApplication %s created. Next:\n  cd %s\n  go run .\n", o.Name, o.Name)
			return nil
		},
	}
	cmd.Flags().StringVar(&o.Module, "module", "", "Go module path (default NAME)")
	cmd.Flags().StringVar(&o.LBVersion, "lb-version", "", "version of "+lbModule+" to require (default this command's)")
	cmd.Flags().StringVar(&o.Replace, "replace", "", "local checkout of "+lbModule+" to use (a replace directive)")
	cmd.Flags().BoolVar(&skipTidy, "skip-tidy", false, "do not run go mod tidy")
	return cmd
}

// applyConfig sets the flags of cmd from a JSON object: each key names a
// flag; a value is a string, number, boolean or array (for repeatable
// flags). An unknown key is an error.
func applyConfig(cmd *cobra.Command, cfg string) error {
	var m map[string]any
	if err := json.Unmarshal([]byte(cfg), &m); err != nil {
		return fmt.Errorf("--config: want a JSON object of flags: %w", err)
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		f := cmd.Flags().Lookup(k)
		if f == nil || k == "config" {
			return fmt.Errorf("--config: %s has no flag %q", cmd.CommandPath(), k)
		}
		vals, ok := m[k].([]any)
		if !ok {
			vals = []any{m[k]}
		}
		for _, v := range vals {
			switch v.(type) {
			case string, float64, bool:
			default:
				return fmt.Errorf("--config: %q: want a string, number, boolean or an array of them", k)
			}
			if err := cmd.Flags().Set(k, fmt.Sprint(v)); err != nil {
				return fmt.Errorf("--config: %q: %w", k, err)
			}
		}
	}
	return nil
}

// createApp writes a new application into dir/o.Name and runs go mod
// tidy there unless skipTidy; it returns the application's directory.
func createApp(ctx context.Context, o gen.AppOptions, dir string, force, skipTidy bool, stdout io.Writer) (string, error) {
	if o.LBVersion == "" {
		o.LBVersion = lbVersion()
	}
	if o.Replace != "" {
		abs, err := filepath.Abs(o.Replace)
		if err != nil {
			return "", err
		}
		o.Replace = abs
	}
	files, err := gen.NewApp(o)
	if err != nil {
		return "", err
	}
	appDir := filepath.Join(dir, o.Name)
	w := &gen.Writer{Dir: appDir, Force: force, Log: stdout}
	if err := w.Create(files...); err != nil {
		return "", err
	}
	if !skipTidy {
		tidy := exec.CommandContext(ctx, "go", "mod", "tidy")
		tidy.Dir = appDir
		if out, err := tidy.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go mod tidy in %s: %w\n%s", appDir, err, out)
		}
	}
	return appDir, nil
}

func importLB4Command(stdout io.Writer, dir *string, force *bool) *cobra.Command {
	var o gen.AppOptions
	var skipTidy bool
	cmd := &cobra.Command{
		Use:   "import-lb4 LB4_DIR NAME",
		Short: "Generate the Go application that serves a LoopBack 4 application's API on its data",
		Long: `Read a LoopBack 4 application's OpenAPI document (LB4_DIR/openapi.json) and
its memory data (LB4_DIR/db.json, copied to data/db.json), and create the
application NAME (as lb new) with its models (a model per schema X that has
XWithRelations), their relations (from the properties XWithRelations adds),
a memory data source on data/db.json and their CRUD REST APIs at the same
base paths, relation endpoints included.`,
		Example: "  lb import-lb4 ../my-lb4-app/export todo-go\n  cd todo-go && go run .",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(filepath.Join(args[0], "openapi.json"))
			if err != nil {
				return fmt.Errorf("import-lb4: %w (export it from the LoopBack app: GET /openapi.json)", err)
			}
			doc, err := openapi.Load(data)
			if err != nil {
				return fmt.Errorf("import-lb4: %s: %w", filepath.Join(args[0], "openapi.json"), err)
			}
			models, err := gen.ImportLB4(doc)
			if err != nil {
				return fmt.Errorf("import-lb4: %w", err)
			}
			o.Name = args[1]
			appDir, err := createApp(cmd.Context(), o, *dir, *force, true, stdout)
			if err != nil {
				return err
			}
			w := &gen.Writer{Dir: appDir, Force: *force, Log: stdout}
			if err := w.AddLB4Import(models); err != nil {
				return err
			}
			if db, err := os.ReadFile(filepath.Join(args[0], "db.json")); err == nil {
				if err := w.Create(gen.File{Path: "data/db.json", Data: db}); err != nil {
					return err
				}
			}
			if !skipTidy {
				tidy := exec.CommandContext(cmd.Context(), "go", "mod", "tidy")
				tidy.Dir = appDir
				if out, err := tidy.CombinedOutput(); err != nil {
					return fmt.Errorf("go mod tidy in %s: %w\n%s", appDir, err, out)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&o.Module, "module", "", "Go module path (default NAME)")
	cmd.Flags().StringVar(&o.Replace, "replace", "", "local checkout of "+lbModule+" to use (a replace directive)")
	cmd.Flags().BoolVar(&skipTidy, "skip-tidy", false, "do not run go mod tidy")
	return cmd
}

func modelCommand(writer func() *gen.Writer) *cobra.Command {
	var props []string
	var desc string
	cmd := &cobra.Command{
		Use:   "model NAME",
		Short: "Add a model (a Go struct whose tags describe it)",
		Long: `Add a model. Each --property is NAME[:TYPE[:FLAG...]]: TYPE is string (the
default), number, integer, boolean, date, object, array, any, buffer or
TYPE[]; flags are required, id, generated, hidden, nullable, index, unique.
Without an id property the model gets "id", a generated integer.`,
		Example: "  lb model Todo --property title:string:required --property isComplete:boolean --property tags:string[]",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := gen.ModelOptions{Name: args[0], Description: desc}
			for _, s := range props {
				p, err := gen.ParseProperty(s)
				if err != nil {
					return err
				}
				o.Properties = append(o.Properties, p)
			}
			return writer().AddModel(o)
		},
	}
	cmd.Flags().StringArrayVarP(&props, "property", "p", nil, "a property: NAME[:TYPE[:FLAG...]] (repeatable)")
	cmd.Flags().StringVar(&desc, "description", "", "the model's doc comment, after its name")
	return cmd
}

func datasourceCommand(writer func() *gen.Writer) *cobra.Command {
	var o gen.DatasourceOptions
	var spec string
	cmd := &cobra.Command{
		Use:   "datasource NAME",
		Short: "Add a data source (" + strings.Join(gen.Connectors, ", ") + ")",
		Long: `Add a data source: a function that opens its connector, called from app.go.
The environment variable <NAME>_URL overrides its location at run time.`,
		Example: "  lb datasource db --connector sqlite\n  lb datasource pg --connector postgresql --url postgres://postgres@127.0.0.1/todo",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			if o.BaseURL != "" && o.Connector != "rest" && o.Connector != "openapi" {
				return fmt.Errorf("--base-url is for rest and openapi data sources, not %s", o.Connector)
			}
			if o.Connector == "rest" {
				if o.URL != "" {
					return errors.New("a rest data source has no --url: give its datasource document with --spec, or the sample's --base-url")
				}
				if o.BaseURL == "" {
					o.BaseURL = "http://127.0.0.1:3000"
				}
				if spec != "" {
					b, err := os.ReadFile(spec)
					if err != nil {
						return err
					}
					o.Spec = b
				}
			} else if spec != "" {
				return fmt.Errorf("--spec is for rest data sources (a LoopBack datasource JSON document); use --url for %s", o.Connector)
			}
			return writer().AddDatasource(o)
		},
	}
	cmd.Flags().StringVar(&o.Connector, "connector", "memory", "connector: "+strings.Join(gen.Connectors, ", "))
	cmd.Flags().StringVar(&o.URL, "url", "", "default URL (SQL, mongodb, redis), file (memory, sqlite), document (openapi: OpenAPI, soap: WSDL; file or URL), or host:port (grpc)")
	cmd.Flags().StringVar(&o.BaseURL, "base-url", "", "rest: the sample document's baseURL (default http://127.0.0.1:3000); openapi: the service's URL, overriding the document's servers")
	cmd.Flags().StringVar(&spec, "spec", "", "rest: a LoopBack datasource JSON document (templates and functions) to copy into datasources/")
	return cmd
}

func serviceCommand(writer func() *gen.Writer) *cobra.Command {
	var o gen.ServiceOptions
	cmd := &cobra.Command{
		Use:   "service NAME",
		Short: "Add a typed proxy of a rest or openapi data source, bound as services.NAME",
		Long: `Add a service proxy: a struct with one typed function per function of a rest
data source's datasource document (arguments in a struct) or per operationId
of an openapi data source's document (read from its file; arguments by
parameter name), built at start and bound in the server's container under
services.NAME (service.Key[*NameService]("NAME")).`,
		Example: "  lb datasource geo --connector rest --spec geocoder.datasource.json\n  lb service geocoder --datasource geo",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			return writer().AddService(o)
		},
	}
	cmd.Flags().StringVar(&o.Datasource, "datasource", "", "the rest data source")
	cmd.MarkFlagRequired("datasource")
	return cmd
}

func repositoryCommand(writer func() *gen.Writer) *cobra.Command {
	var o gen.RepositoryOptions
	cmd := &cobra.Command{
		Use:     "repository MODEL",
		Short:   "Add the repository of a model on a data source",
		Example: "  lb repository Todo --datasource db",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Model = args[0]
			return writer().AddRepository(o)
		},
	}
	cmd.Flags().StringVar(&o.Datasource, "datasource", "db", "data source name")
	cmd.Flags().StringVar(&o.IDType, "id-type", "int64", "Go type of the model's id")
	return cmd
}

func controllerCommand(writer func() *gen.Writer) *cobra.Command {
	var o gen.ControllerOptions
	cmd := &cobra.Command{
		Use:   "controller NAME",
		Short: "Add a controller: empty (one example operation) or CRUD (--crud)",
		Example: "  lb controller Hello            # HelloController, GET /hello\n" +
			"  lb controller Todo --crud     # Todo's repository served at /todos",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			return writer().AddController(o)
		},
	}
	cmd.Flags().BoolVar(&o.CRUD, "crud", false, "serve the model NAME's repository as LoopBack's CRUD REST API")
	cmd.Flags().StringVar(&o.BasePath, "base-path", "", "CRUD base path (default LoopBack's: /todo-lists for TodoList)")
	cmd.Flags().BoolVar(&o.ReadOnly, "read-only", false, "CRUD: serve the GET operations only")
	return cmd
}

func restCrudCommand(writer func() *gen.Writer) *cobra.Command {
	var ds string
	var o gen.ControllerOptions
	cmd := &cobra.Command{
		Use:     "rest-crud MODEL",
		Short:   "Serve a model on a data source as LoopBack's CRUD REST API (repository + controller)",
		Example: "  lb rest-crud Todo --datasource db --base-path /todos",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return writer().AddRestCrud(args[0], ds, o)
		},
	}
	cmd.Flags().StringVar(&ds, "datasource", "db", "data source name")
	cmd.Flags().StringVar(&o.BasePath, "base-path", "", "base path (default LoopBack's: /todo-lists for TodoList)")
	cmd.Flags().BoolVar(&o.ReadOnly, "read-only", false, "serve the GET operations only")
	return cmd
}

func relationCommand(writer func() *gen.Writer) *cobra.Command {
	var o gen.RelationOptions
	cmd := &cobra.Command{
		Use:   "relation",
		Short: "Add a relation between two models (" + strings.Join(gen.RelationKinds, ", ") + ")",
		Long: `Add a relation to the source model's struct (and the foreign key to the
target's for hasMany and hasOne). With both models served by CRUD
controllers, the relation's endpoints are served too
(GET/POST/PATCH/DELETE /todo-lists/{id}/todos, GET /todos/{id}/todo-list).
hasManyThrough needs --through MODEL (it gets the keys todoId and tagId);
referencesMany adds the array of keys (tagIds) next to the relation field.`,
		Example: "  lb relation --type hasMany --source TodoList --target Todo\n" +
			"  lb relation --type belongsTo --source Todo --target TodoList --on-delete cascade\n" +
			"  lb relation --type hasManyThrough --source Todo --target Tag --through TodoTag\n" +
			"  lb relation --type referencesMany --source Todo --target Label",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return writer().AddRelation(o)
		},
	}
	cmd.Flags().StringVar(&o.Kind, "type", "", "relation kind: "+strings.Join(gen.RelationKinds, ", "))
	cmd.Flags().StringVar(&o.Source, "source", "", "source model (gets the relation)")
	cmd.Flags().StringVar(&o.Target, "target", "", "target model")
	cmd.Flags().StringVar(&o.Name, "name", "", "relation name (default LoopBack's: todos, todoList)")
	cmd.Flags().StringVar(&o.ForeignKey, "foreign-key", "", "foreign key property (default LoopBack's: todoListId; referencesMany: tagIds)")
	cmd.Flags().StringVar(&o.Through, "through", "", "hasManyThrough: the through model (e.g. TodoTag)")
	cmd.Flags().StringVar(&o.OnDelete, "on-delete", "", "belongsTo: restrict, cascade or setNull when the target is deleted")
	for _, f := range []string{"type", "source", "target"} {
		cmd.MarkFlagRequired(f)
	}
	return cmd
}

func openapiCommand(writer func() *gen.Writer) *cobra.Command {
	var client bool
	var out string
	cmd := &cobra.Command{
		Use:   "openapi SPEC",
		Short: "Serve an OpenAPI document (file or URL; 3.0 or 3.1) spec first, or generate its typed client",
		Long: `Copy the document into the project as ` + gen.SpecFile + ` (or .yaml) and serve it
spec first: the application publishes the same paths, operations and schemas,
routing and validation follow the document, and each operation is bound by
operationId to a typed stub in api_handlers.go (answering 501 until written),
whose parameters and body arrive decoded into the Go types of api.go and
api_models.go (one per schema).

With --client, write a typed Go client instead: DIR/client.go (--output,
default "client"; the package is named after DIR), with the schema types and
one method per operationId.`,
		Example: "  lb openapi ./openapi.json\n  lb openapi https://example.com/openapi.json --client --output todoclient",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := readDocument(cmd.Context(), args[0], cmd.InOrStdin())
			if err != nil {
				return err
			}
			w := writer()
			if client {
				f, err := gen.Client(data, filepath.Base(out))
				if err != nil {
					return err
				}
				f.Path = filepath.Join(out, f.Path)
				return w.Create(f)
			}
			trimmed := bytes.TrimSpace(data)
			yaml := len(trimmed) > 0 && trimmed[0] != '{'
			return w.AddOpenAPI(data, yaml)
		},
	}
	cmd.Flags().BoolVar(&client, "client", false, "generate a typed Go client instead of serving the document")
	cmd.Flags().StringVarP(&out, "output", "o", "client", "--client: the client's directory (and package name)")
	return cmd
}

func observerCommand(writer func() *gen.Writer) *cobra.Command {
	var group string
	cmd := &cobra.Command{
		Use:     "observer NAME",
		Short:   "Add a lifecycle observer (start and stop hooks)",
		Example: "  lb observer Seed --group data",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return writer().AddObserver(args[0], group)
		},
	}
	cmd.Flags().StringVar(&group, "group", "", "observer group")
	return cmd
}

func interceptorCommand(writer func() *gen.Writer) *cobra.Command {
	return &cobra.Command{
		Use:     "interceptor NAME",
		Short:   "Add an interceptor that runs around every operation",
		Example: "  lb interceptor Timing",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return writer().AddInterceptor(args[0])
		},
	}
}

func migrateCommand(dir *string, stdout, stderr io.Writer) *cobra.Command {
	var rebuild bool
	cmd := &cobra.Command{
		Use:   "migrate [--rebuild]",
		Short: "Create or update the tables of the project's data sources",
		Long: `Runs "go run . migrate" in the project: every repository creates or updates
its table; --rebuild drops and recreates them (data is lost).`,
		Example: "  lb migrate\n  lb migrate --rebuild",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := os.Stat(filepath.Join(*dir, "app.go")); err != nil {
				return fmt.Errorf("app.go not found in %s: run lb migrate in a project made by lb new", *dir)
			}
			goArgs := []string{"run", ".", "migrate"}
			if rebuild {
				goArgs = append(goArgs, "-rebuild")
			}
			c := exec.CommandContext(cmd.Context(), "go", goArgs...)
			c.Dir, c.Stdout, c.Stderr = *dir, stdout, stderr
			if err := c.Run(); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&rebuild, "rebuild", false, "drop and recreate the tables (data is lost)")
	return cmd
}

func versionCommand(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the versions of lb and Go",
		Example: "  lb version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(stdout, "lb %s (%s)\n", lbVersion(), lbModule)
			if bi, ok := debug.ReadBuildInfo(); ok {
				fmt.Fprintf(stdout, "go %s\n", strings.TrimPrefix(bi.GoVersion, "go"))
			}
			return nil
		},
	}
}

// lbVersion is the version of the lb module this command was built from:
// its tag when installed with go install, or v0.0.0 for a local build.
func lbVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path == lbModule && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "v0.0.0"
}

// errHelp is returned for a bare "lb": usage was printed.
var errHelp = errors.New("no command")

func extensionPointCommand(writer func() *gen.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "extension-point NAME",
		Short: "Add an extension point: the interface its extensions implement and its di.ExtensionPoint",
		Long: `Add an extension point named after the interface its extensions implement
(Greeter): the interface, greeterPoint() returning the
di.ExtensionPoint[Greeter] "greeters", and greeters(c) listing the extensions
bound in a container. Add extensions with lb extension.`,
		Example: "  lb extension-point Greeter\n  lb extension Hello --extension-point Greeter",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return writer().AddExtensionPoint(args[0])
		},
	}
}

func extensionCommand(writer func() *gen.Writer) *cobra.Command {
	var point string
	cmd := &cobra.Command{
		Use:   "extension NAME",
		Short: "Add an extension of an extension point, bound in the server's container",
		Long: `Add an extension (HelloGreeter for lb extension Hello --extension-point
Greeter) implementing the point's interface, bound in app.go with
di.AddExtension under the key greeters.hello.`,
		Example: "  lb extension Hello --extension-point Greeter",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return writer().AddExtension(args[0], point)
		},
	}
	cmd.Flags().StringVar(&point, "extension-point", "", "the extension point (made by lb extension-point)")
	cmd.MarkFlagRequired("extension-point")
	return cmd
}
