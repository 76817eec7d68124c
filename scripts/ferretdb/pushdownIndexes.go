package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

// FerretDB v1's SQLite backend pushes a lone `_id` filter down as `_ferretdb_sjson->'$._id' = ?`,
// but the unique index it creates is on `_ferretdb_sjson->"_id"`, a different expression, so
// SQLite never uses it and every lookup by `_id` scans the table. For every collection table we
// add an index on the exact expression the query uses. FerretDB does not list it among the
// collection's indexes and does not mind it; dropping the collection drops it with the table.

const pushdownIndexSuffix = "_wb_id_pushdown"

// keepPushdownIndexes adds the missing indexes now and then every `every` until ctx ends
// (collections appear lazily, on their first insert).
func keepPushdownIndexes(ctx context.Context, dir string, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		addPushdownIndexes(ctx, dir)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func addPushdownIndexes(ctx context.Context, dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
	for _, file := range files {
		if err := indexDatabase(ctx, file); err != nil && ctx.Err() == nil {
			fmt.Fprintf(os.Stderr, "ferretdb-embedded: pushdown indexes for %s: %v\n", filepath.Base(file), err)
		}
	}
}

func indexDatabase(ctx context.Context, file string) error {
	// mode=rw: a database dropped meanwhile is not created again by us.
	db, err := sql.Open("sqlite", "file:"+file+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	missing, err := tablesWithoutPushdownIndex(ctx, db)
	if err != nil {
		return err
	}
	for _, table := range missing {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+pushdownIndexSuffix, table)
		if _, err := db.ExecContext(ctx, q); err != nil && !strings.Contains(err.Error(), "no such table") {
			return err
		}
	}
	return nil
}

func tablesWithoutPushdownIndex(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT c.table_name FROM _ferretdb_collections c
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || ?)`, pushdownIndexSuffix)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil, nil // a database with no collection yet
		}
		return nil, err
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			return nil, err
		}
		tables = append(tables, table)
	}
	return tables, rows.Err()
}
