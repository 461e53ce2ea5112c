// Command lb is the LoopBack for Go command-line tool, LoopBack 4's lb4 for
// Go applications (run lb COMMAND --help for each command's flags and an
// example):
//
//	lb new NAME                 an application with the todo example's shape
//	lb model NAME -p title:string:required ...
//	lb datasource NAME --connector memory|sqlite|postgresql|mysql|mongodb|redis
//	lb datasource NAME --connector rest [--spec DOC.json] | openapi|soap --url DOC | grpc --url HOST:PORT
//	                            stores (connector/...) or services (service/restsvc,
//	                            oasvc, soapsvc, grpcsvc), opened at start;
//	                            <NAME>_URL overrides the location at run time (for
//	                            rest: another datasource document than the one
//	                            embedded from datasources/NAME.datasource.json)
//	lb service NAME --datasource DS  a typed proxy of a rest data source's
//	                            functions (or an openapi one's operations),
//	                            bound in the container as services.NAME
//	lb repository MODEL --datasource NAME
//	lb controller NAME [--crud]  an empty controller, or a model's CRUD REST API
//	lb rest-crud MODEL --datasource NAME   repository + CRUD controller
//	lb relation --type hasMany|belongsTo|hasOne --source A --target B
//	lb relation --type hasManyThrough --source A --target B --through AB
//	lb relation --type referencesMany --source A --target B
//	                            (belongsTo: --on-delete restrict|cascade|setNull)
//	lb extension-point NAME     an interface, its di.ExtensionPoint and a lister
//	lb extension NAME --extension-point P   an extension, bound in app.go
//	lb openapi SPEC             (also: the app serves the document's info.title
//	                            and info.version)
//	lb openapi SPEC             serve an OpenAPI document (file or URL) spec first,
//	                            with typed handler stubs bound by operationId
//	lb discover --url DB_URL [--tables a,b] [--json]
//	                            models (Go or LoopBack JSON) from SQLite,
//	                            PostgreSQL or MySQL tables, relations from
//	                            foreign keys
//	lb import-lb4 LB4_DIR NAME  the Go application serving a LoopBack 4 app's API
//	                            (its openapi.json) on its data (its db.json)
//	lb observer NAME, lb interceptor NAME
//	lb migrate [--rebuild]      create or update (or recreate) the tables
//	lb spec [DIR | URL]         export the OpenAPI document without serving it
//	lb spec diff OLD NEW        API review: breaking changes exit 1
//	lb version
//
// Generators write gofmt'd Go code into the project (-C DIR, default "."),
// print each file they create or update, never overwrite a file without
// --force, and refuse bad names (Go keywords, invalid identifiers, existing
// models). They wire what they add into app.go and main.go above marker
// comments ("// lb:controllers"); keep those.
//
//	lb serve [-host HOST] [-port PORT] DIR
//
// serves the models of a project directory as CRUD REST APIs with no Go code
// written (LoopBack's model API builder):
//
//	DIR/models/todo.model.json                   model definitions (JSON or YAML, LoopBack's shape)
//	DIR/datasources/db.datasource.json           {"name":"db","connector":"memory","file":"data/db.json"}
//	DIR/model-endpoints/todo.rest-config.json    {"model":"Todo","dataSource":"db","basePath":"/todos","readOnly":false}
//
// Connectors: memory (file relative to DIR; none means memory only),
// sqlite (file or url), postgresql (url or host, port, user, password,
// database), mysql and mongodb (the same). Tables (collections and their
// indexes) are created or updated at start.
// A data source with "nullForUnset": true answers null for the unset
// properties of every model it serves, as LoopBack 4 on a SQL database
// does (otherwise they are left out, on every connector).
// Relations between served models get their endpoints too
// (/todo-lists/{id}/todos, /todos/{id}/todo-list). The OpenAPI document is
// at /openapi.json and the API explorer at /explorer/.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "lb:", err)
		}
		os.Exit(1)
	}
}

// run executes one command.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	root := newRoot(ctx, stdout, stderr)
	root.SetArgs(args)
	if len(args) == 0 {
		root.SetOut(stderr)
		root.Usage()
		return errHelp
	}
	return root.ExecuteContext(ctx)
}
