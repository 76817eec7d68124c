// Command ferretdb-embedded runs FerretDB v1 through its embeddable package, because
// `go install` of the upstream command builds a binary that panics at start (missing
// build/version/version.txt in the published module).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (keep it on loopback)")
	dataDir := flag.String("sqlite-dir", "", "existing directory for the SQLite backend")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL database for the PostgreSQL backend (binary built without the ferretdb_no_postgresql tag)")
	indexes := flag.Bool("pushdown-indexes", true, "SQLite: give every collection the index its _id lookups can use (false: FerretDB as released, for baselines)")
	indexEvery := flag.Duration("pushdown-index-every", time.Second, "SQLite: how often new collections get that index")
	synchronous := flag.String("sqlite-synchronous", "full", "SQLite (WAL): PRAGMA synchronous of every connection: full (an fsync per commit, FerretDB's default) or normal (fsync at checkpoints: a power loss may lose the last commits, a crash of this process loses none)")
	flag.Parse()
	config := &ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: *listen}}
	switch {
	case *postgresURL != "":
		config.Handler = "postgresql"
		config.PostgreSQLURL = *postgresURL
	case *dataDir != "":
		if *synchronous != "full" && *synchronous != "normal" {
			fmt.Fprintln(os.Stderr, "ferretdb-embedded: -sqlite-synchronous must be full or normal")
			os.Exit(2)
		}
		url := "file:" + *dataDir
		if url[len(url)-1] != '/' {
			url += "/"
		}
		// FerretDB keeps our _pragma and adds its own defaults (busy_timeout, journal_mode(wal), auto_vacuum).
		url += "?_pragma=synchronous(" + *synchronous + ")"
		config.Handler = "sqlite"
		config.SQLiteURL = url
	default:
		fmt.Fprintln(os.Stderr, "ferretdb-embedded: -sqlite-dir or -postgresql-url is required")
		os.Exit(2)
	}
	db, err := ferretdb.New(config)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded: ", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if config.Handler == "sqlite" && *indexes {
		go keepPushdownIndexes(ctx, *dataDir, *indexEvery)
	}
	fmt.Println("ferretdb-embedded: listening on", *listen)
	if err := db.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded: ", err)
		os.Exit(1)
	}
}
