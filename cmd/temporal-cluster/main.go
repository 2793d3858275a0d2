// Command temporal-cluster runs the official Temporal server as a cluster of several nodes on
// this machine, on PostgreSQL, as the two-node cluster test does (integration/cluster_test.go):
// it builds temporal-server and temporal-sql-tool at the version go.mod pins (once per
// version, into the cache), creates the persistence and visibility databases and sets their
// schemas with temporal-sql-tool, writes one configuration per node, starts the nodes, waits
// until they form one cluster and serves one front-door address for their frontends. Ctrl-C
// stops the nodes. Run it from the kompeten checkout:
//
//	go run ./cmd/temporal-cluster                    # two nodes, front door 127.0.0.1:7233
//	go run ./cmd/temporal-cluster -nodes 3 -fresh    # drop the databases first
//	go run ./cmd/temporal-cluster -build-only        # just build, print the binaries
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/tcluster"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "temporal-cluster:", err)
		os.Exit(1)
	}
}

func run() error {
	cache, err := tcluster.DefaultCacheDir()
	if err != nil {
		return err
	}
	var o tcluster.Options
	flag.IntVar(&o.Nodes, "nodes", 2, "server nodes in the cluster")
	flag.IntVar(&o.Shards, "shards", 4, "history shards (fixed once the database holds them)")
	flag.StringVar(&o.Postgres.URL, "postgres", tcluster.DefaultPostgresURL, "a superuser's URL on the PostgreSQL server's maintenance database")
	flag.StringVar(&o.PersistenceDB, "db", "temporal_kompeten", "persistence database; the visibility database is <db>_visibility")
	flag.StringVar(&o.Address, "address", "127.0.0.1:7233", "front door: one address for every node's frontend (kompeten's temporal.address)")
	flag.StringVar(&o.Dir, "dir", "", "configuration files and node logs (default <cache>/temporal-cluster)")
	flag.StringVar(&o.LogLevel, "log-level", "warn", "the server's log level")
	flag.StringVar(&cache, "cache", cache, "where the built server is kept, per version ($TEMPORAL_CLUSTER_CACHE)")
	fresh := flag.Bool("fresh", false, "drop both databases first: a cluster with no history")
	buildOnly := flag.Bool("build-only", false, "build (or find) the binaries, print them and stop")
	flag.Parse()
	if o.Dir == "" {
		o.Dir = filepath.Join(cache, "temporal-cluster")
	}
	o.VisibilityDB = o.PersistenceDB + "_visibility"

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	started := time.Now()
	b, built, err := tcluster.Build(ctx, cache)
	if err != nil {
		return err
	}
	how := "found in the cache"
	if built {
		how = "built in " + time.Since(started).Round(time.Second).String()
	}
	fmt.Printf("temporal-server %s (%s):\n  %s\n  %s\n", b.Version, how, b.Server, b.SQLTool)
	if *buildOnly {
		return nil
	}
	if *fresh {
		if err := o.Postgres.DropDatabases(ctx, o.PersistenceDB, o.VisibilityDB); err != nil {
			return err
		}
	}
	c, err := tcluster.Start(ctx, b, o)
	if err != nil {
		return err
	}
	fmt.Printf("cluster of %d nodes formed; databases %s and %s\n", len(c.Nodes), o.PersistenceDB, o.VisibilityDB)
	for _, n := range c.Nodes {
		fmt.Printf("  node %d: pid %d, frontend %s, config %s, log %s\n", n.N, n.Pid(), n.Frontend, n.Config, n.Log)
	}
	fmt.Printf("front door: %s (KOMPETEN_TEMPORAL_ADDRESS=%s); Ctrl-C stops the cluster\n", c.Address(), c.Address())
	<-ctx.Done()
	fmt.Println("stopping the nodes")
	return c.Stop()
}
