package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/pgcluster"
)

// localServer is where a developer machine usually has PostgreSQL.
const localServer = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// devDatabaseName is the database kompeten dev uses on a local or private server: one per data
// directory, because the embedded Temporal file in that directory and the read model must
// describe the same cases. Two data directories on one machine never share a database.
func devDatabaseName(dataDir string) string {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		abs = dataDir
	}
	sum := sha256.Sum256([]byte(abs))
	return "kompeten_" + hex.EncodeToString(sum[:4])
}

// Database is the PostgreSQL kompeten uses, and how to let it go.
type Database struct {
	URL string
	// Source says where it came from: "configured", "local" or "private".
	Source  string
	cluster *pgcluster.Cluster
}

// Close stops a private cluster this process owns; a configured or local server, and a private
// cluster another process owns (a running `kompeten dev`), are left alone.
func (d *Database) Close(ctx context.Context) error {
	if d.cluster == nil {
		return nil
	}
	return d.cluster.Stop(ctx)
}

// DevDatabase picks the database for `kompeten dev` and the commands that run beside it:
// database.url when configured; else (dev.postgres auto) the local server on 127.0.0.1:5432 when
// it answers; else a private cluster in the data directory from the local PostgreSQL binaries,
// started by this process or, when another one (dev) owns it, joined and left running. The
// "kompeten" database is created when missing.
func DevDatabase(ctx context.Context, c *config.Config, logger *slog.Logger) (*Database, error) {
	if c.Database.URL != "" {
		return &Database{URL: c.Database.URL, Source: "configured"}, nil
	}
	if c.Dev.Postgres != "private" && pgcluster.Reachable(ctx, localServer) {
		u, err := ensureDatabase(ctx, localServer, devDatabaseName(c.DataDir))
		if err != nil {
			return nil, err
		}
		return &Database{URL: u, Source: "local"}, nil
	}
	if _, err := pgcluster.FindBinaries(); err != nil {
		return nil, fmt.Errorf("no PostgreSQL answers on 127.0.0.1:5432 and none is configured (database.url / KOMPETEN_DATABASE_URL), and a private one cannot be started: %w", err)
	}
	dir, err := filepath.Abs(filepath.Join(c.DataDir, "postgres"))
	if err != nil {
		return nil, err
	}
	logger.Info("private PostgreSQL cluster", "dir", dir, "port", c.Dev.PostgresPort)
	cl, err := pgcluster.Start(ctx, dir, c.Dev.PostgresPort, logger)
	if err != nil {
		return nil, fmt.Errorf("start private PostgreSQL in %s: %w", dir, err)
	}
	u, err := ensureDatabase(ctx, cl.URL(), devDatabaseName(c.DataDir))
	if err != nil {
		_ = cl.Stop(ctx)
		return nil, err
	}
	return &Database{URL: u, Source: "private", cluster: cl}, nil
}

// Watch keeps a private cluster up while ctx lasts: every interval it checks that the server
// answers and, when it does not (its postmaster was killed, or the process that owned it has
// stopped it), starts it again — owning it from then on — and logs that. It returns at once for
// any other database.
func (d *Database) Watch(ctx context.Context, logger *slog.Logger, interval time.Duration) {
	if d.cluster == nil {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		restarted, err := d.cluster.EnsureRunning(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			logger.Warn("private PostgreSQL is down; trying again", "component", "postgres", "dir", d.cluster.DataDir(), "error", err)
		case restarted:
			logger.Warn("private PostgreSQL was down; started it again", "component", "postgres", "dir", d.cluster.DataDir(), "port", d.cluster.Port())
		}
	}
}

// ensureDatabase creates database name on the server at adminURL if missing and returns its URL.
func ensureDatabase(ctx context.Context, adminURL, name string) (string, error) {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", fmt.Errorf("connect to %s: %w", config.MaskURL(adminURL), err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", fmt.Errorf("look for database %s: %w", name, err)
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			return "", fmt.Errorf("create database %s: %w", name, err)
		}
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}
