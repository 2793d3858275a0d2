package tcluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Options describe a cluster to run.
type Options struct {
	// Dir holds the configuration files and each node's log.
	Dir string
	// Nodes is how many server nodes form the cluster (default 2).
	Nodes int
	// Shards is persistence.numHistoryShards (default 4); it is fixed once the database holds it.
	Shards int
	// Postgres is the server the databases are on (default DefaultPostgresURL).
	Postgres Postgres
	// PersistenceDB and VisibilityDB name the two databases (default temporal_kompeten and
	// temporal_kompeten_visibility); created when missing.
	PersistenceDB, VisibilityDB string
	// Address is where the front door listens: one address for every node's frontend (default
	// 127.0.0.1:0, a free port).
	Address string
	// LogLevel is the server's log level (default warn).
	LogLevel string
	// Pools are each service's PostgreSQL connection pools (default 6 and 2 idle for
	// persistence, 2 and 1 for visibility: small, for tests beside each other).
	Pools Pools
}

// Pools size the connection pools every service of every node opens, one to each database:
// a node runs four services, so a node holds up to four times each figure. An idle limit
// below the maximum closes connections a busy moment opened, and PostgreSQL forks a backend
// for each new one: under steady load the pool churns (a benchmark on this machine saw
// backends a fraction of a second old), so a loaded cluster wants idle equal to the maximum.
type Pools struct {
	PersistenceConns, PersistenceIdle int
	VisibilityConns, VisibilityIdle   int
}

func (o *Options) defaults() {
	if o.Nodes == 0 {
		o.Nodes = 2
	}
	if o.Shards == 0 {
		o.Shards = 4
	}
	if o.Postgres.URL == "" {
		o.Postgres.URL = DefaultPostgresURL
	}
	if o.PersistenceDB == "" {
		o.PersistenceDB = "temporal_kompeten"
	}
	if o.VisibilityDB == "" {
		o.VisibilityDB = o.PersistenceDB + "_visibility"
	}
	if o.Address == "" {
		o.Address = "127.0.0.1:0"
	}
	if o.LogLevel == "" {
		o.LogLevel = "warn"
	}
	if o.Pools == (Pools{}) {
		o.Pools = Pools{PersistenceConns: 6, PersistenceIdle: 2, VisibilityConns: 2, VisibilityIdle: 1}
	}
}

// Cluster is a running cluster: its nodes and the front door to their frontends.
type Cluster struct {
	Nodes []*Node
	door  *frontDoor
}

// Start prepares the databases, writes the nodes' configurations, starts every node and
// returns once each node's frontend reports every node in every service ring.
func Start(ctx context.Context, b Binaries, o Options) (*Cluster, error) {
	o.defaults()
	if err := PrepareDatabases(ctx, b, o.Postgres, o.PersistenceDB, o.VisibilityDB); err != nil {
		return nil, err
	}
	all, err := allocPorts(o.Nodes)
	if err != nil {
		return nil, err
	}
	files, err := writeConfigs(o.Dir, o, o.Postgres, all)
	if err != nil {
		return nil, err
	}
	c := &Cluster{}
	var frontends []string
	for i, f := range files {
		c.Nodes = append(c.Nodes, &Node{N: i + 1, Config: f, Log: filepath.Join(o.Dir, fmt.Sprintf("node-%d.log", i+1)), Frontend: all[i].frontend(), bin: b.Server})
		frontends = append(frontends, all[i].frontend())
	}
	if c.door, err = openFrontDoor(o.Address, frontends); err != nil {
		return nil, fmt.Errorf("front door on %s: %w", o.Address, err)
	}
	wctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	// The first node starts alone: on a fresh database it writes the cluster's metadata, and
	// two nodes doing that at once fail one of them ("failed to initialize current cluster
	// metadata", seen here). The others join once it serves.
	if err := c.Nodes[0].start(); err != nil {
		c.Stop()
		return nil, err
	}
	if err := c.waitMembers(wctx, 1); err != nil {
		c.Stop()
		return nil, err
	}
	for _, n := range c.Nodes[1:] {
		if err := n.start(); err != nil {
			c.Stop()
			return nil, err
		}
	}
	if err := c.waitMembers(wctx, o.Nodes); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

// waitMembers waits for n members in every ring, failing at once when a node exits.
func (c *Cluster) waitMembers(ctx context.Context, n int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var frontends []string
	for _, node := range c.Nodes {
		if !node.Running() {
			continue
		}
		frontends = append(frontends, node.Frontend)
		go func() {
			select {
			case <-node.done:
				cancel(fmt.Errorf("node %d exited: %v; its log %s ends:\n%s", node.N, node.err, node.Log, tail(node.Log)))
			case <-ctx.Done():
			}
		}()
	}
	err := WaitMembers(ctx, frontends, n)
	if cause := context.Cause(ctx); err != nil && cause != nil && !errors.Is(cause, context.DeadlineExceeded) && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return err
}

// WaitMembers waits until every running node's frontend reports n members in every ring (after
// a node was killed: until the survivors have noticed).
func (c *Cluster) WaitMembers(ctx context.Context, n int) error { return c.waitMembers(ctx, n) }

// Address is the front door: one address that reaches a live node's frontend.
func (c *Cluster) Address() string { return c.door.Addr() }

// Stop stops every node (SIGTERM, then SIGKILL after 20 s) and the front door.
func (c *Cluster) Stop() error {
	var errs []error
	for _, n := range c.Nodes {
		errs = append(errs, n.Stop(20*time.Second))
	}
	if c.door != nil {
		c.door.Close()
	}
	return errors.Join(errs...)
}

// tail is the end of a log file, for an error message.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
