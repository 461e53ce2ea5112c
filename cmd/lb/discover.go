package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/internal/gen"
	"github.com/loopback-go/lb/model"
	"github.com/spf13/cobra"
)

func discoverCommand(writer func() *gen.Writer, stdout io.Writer) *cobra.Command {
	var dbURL, schema string
	var tables []string
	var asJSON, views bool
	cmd := &cobra.Command{
		Use:   "discover --url DB_URL [--tables a,b]",
		Short: "Generate models from the tables of a SQLite, PostgreSQL or MySQL database",
		Long: `Describe the tables of a database as models: columns become properties
(snake_case columns become camelCase properties, the column kept), the
primary key the id, foreign keys belongsTo relations, with the inverse
hasMany on the target table's model. Writes Go models (<model>.go, structs
tagged with table and columns) or, with --json, LoopBack JSON definitions
(models/<model>.model.json, which lb serve reads).`,
		Example: "  lb discover --url postgres://postgres@127.0.0.1/shop --tables orders,customers\n" +
			"  lb discover --url sqlite:data/legacy.db --json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dbURL == "" {
				return fmt.Errorf("--url is required: sqlite:FILE, postgres://… or mysql://…")
			}
			conn, err := openURL(dbURL)
			if err != nil {
				return err
			}
			defer conn.Close()
			disc, ok := conn.(connector.Discoverer)
			if !ok {
				return fmt.Errorf("discover: the connector of %s cannot discover", redact(dbURL))
			}
			defs, err := discoverTables(cmd.Context(), disc, connector.DiscoverOptions{Schema: schema, Views: views}, tables)
			if err != nil {
				return err
			}
			models, err := gen.NameDiscovered(defs)
			if err != nil {
				return err
			}
			var files []gen.File
			if asJSON {
				files, err = gen.DiscoverJSON(models)
			} else {
				files, err = gen.DiscoverGo(models)
			}
			if err != nil {
				return err
			}
			return writer().Create(files...)
		},
	}
	cmd.Flags().StringVar(&dbURL, "url", "", "database URL: sqlite:FILE (or file:FILE), postgres://…, mysql://…")
	cmd.Flags().StringSliceVar(&tables, "tables", nil, "tables to discover (default all)")
	cmd.Flags().StringVar(&schema, "schema", "", "schema (owner) to look in (default the connection's)")
	cmd.Flags().BoolVar(&views, "views", false, "include views")
	cmd.Flags().BoolVar(&asJSON, "json", false, "write LoopBack JSON model definitions instead of Go")
	return cmd
}

// discoverTables returns the definitions of the named tables (all when
// names is empty), failing on a name that is not a table.
func discoverTables(ctx context.Context, d connector.Discoverer, opts connector.DiscoverOptions, names []string) ([]*model.Definition, error) {
	infos, err := d.DiscoverModels(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("discover: %w", err)
	}
	var found []string
	for _, in := range infos {
		found = append(found, in.Name)
	}
	if len(names) == 0 {
		names = found
	}
	var defs []*model.Definition
	for _, n := range names {
		if !slices.Contains(found, n) {
			return nil, fmt.Errorf("discover: no table %q (found: %s)", n, strings.Join(found, ", "))
		}
		def, err := d.DiscoverDefinition(ctx, n, opts)
		if err != nil {
			return nil, fmt.Errorf("discover %s: %w", n, err)
		}
		defs = append(defs, def)
	}
	if len(defs) == 0 {
		return nil, fmt.Errorf("discover: no tables found")
	}
	return defs, nil
}

// openURL opens the SQL connector a database URL names.
func openURL(u string) (connector.Connector, error) {
	switch {
	case strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://"):
		return postgres.New(postgres.Config{URL: u})
	case strings.HasPrefix(u, "mysql://"):
		return mysql.New(mysql.Config{URL: u})
	case strings.HasPrefix(u, "sqlite:") || strings.HasPrefix(u, "file:") || strings.HasSuffix(u, ".db") || strings.HasSuffix(u, ".sqlite"):
		return sqlite.New(sqlite.Config{URL: u})
	}
	return nil, fmt.Errorf("--url %s: want sqlite:FILE, file:FILE, postgres://… or mysql://…", redact(u))
}

// redact hides the password of a URL in messages.
func redact(u string) string {
	if at := strings.LastIndexByte(u, '@'); at > 0 {
		if scheme := strings.Index(u, "://"); scheme >= 0 && scheme < at {
			return u[:scheme+3] + "…" + u[at:]
		}
	}
	return u
}
