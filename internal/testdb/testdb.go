// Package testdb gives integration tests a fresh PostgreSQL database each.
//
// The server is, in order: the one at $KOMPETEN_TEST_DATABASE_URL; the local one at
// 127.0.0.1:5432 (user postgres, trust auth) when it answers; else a private cluster started from
// the local server binaries in $TMPDIR/kompeten-testpg-<uid>. That cluster is started once per
// test process and deliberately left running when the process exits: the next test process (and
// the other packages `go test` runs in parallel) reuse it instead of paying initdb again. Stop it
// with `pg_ctl -D $TMPDIR/kompeten-testpg-<uid>/data stop` (as the postgres user when root), or
// just let it go with the machine.
//
// Setting $KOMPETEN_TEST_DATABASE_URL to "private" forces the private cluster even when a local
// server answers, to exercise that path.
//
// Tests never skip for lack of a database: a missing server is a failure with instructions.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/freeport"
	"github.com/bpvp-sidoarjo/kompeten/pgcluster"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable that points tests at a PostgreSQL server (a superuser URL).
const EnvURL = "KOMPETEN_TEST_DATABASE_URL"

// localURL is the server a developer machine usually has.
const localURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

var (
	serverOnce sync.Once
	serverURL  string
	serverErr  error
)

// New creates an empty database for this test and returns its URL; the database is dropped
// (WITH (FORCE), so leaked connections do not block it) when the test ends.
func New(t testing.TB) string {
	t.Helper()
	base := server(t)
	name := "kompeten_t_" + randomHex(t, 6)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin(ctx, base, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("testdb: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := admin(ctx, base, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("testdb: drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("testdb: parse server url: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// NewMigrated creates a fresh database, migrates and seeds it, and returns its URL with an open
// store that is closed when the test ends.
func NewMigrated(t testing.TB) (string, *store.Store) {
	t.Helper()
	dbURL := New(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := store.Migrate(ctx, dbURL); err != nil {
		t.Fatalf("testdb: %v", err)
	}
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	// Registered after New's cleanup, so it runs first: close before the database is dropped.
	t.Cleanup(st.Close)
	if err := st.Seed(ctx); err != nil {
		t.Fatalf("testdb: %v", err)
	}
	return dbURL, st
}

// server returns the URL of the PostgreSQL server to create test databases on.
func server(t testing.TB) string {
	t.Helper()
	serverOnce.Do(func() { serverURL, serverErr = findServer() })
	if serverErr != nil {
		t.Fatalf("testdb: no PostgreSQL for integration tests: %v\n"+
			"Provide one of: %s=postgres://user@host:port/postgres?sslmode=disable (a superuser); "+
			"a server on 127.0.0.1:5432 accepting user postgres without password; "+
			"or the server binaries (apt-get install postgresql) for a private cluster.", serverErr, EnvURL)
	}
	return serverURL
}

func findServer() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	u := os.Getenv(EnvURL)
	if u == "private" {
		return privateCluster(ctx)
	}
	if u != "" {
		if !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
			return "", fmt.Errorf("%s must be a postgres:// URL", EnvURL)
		}
		if !pgcluster.Reachable(ctx, u) {
			return "", fmt.Errorf("%s is set but the server does not answer", EnvURL)
		}
		return u, nil
	}
	if pgcluster.Reachable(ctx, localURL) {
		return localURL, nil
	}
	return privateCluster(ctx)
}

// privateCluster starts (or reuses) the shared test cluster. A file lock serialises test
// processes of parallel packages so only one runs initdb/pg_ctl on the directory.
func privateCluster(ctx context.Context) (string, error) {
	root := filepath.Join(os.TempDir(), fmt.Sprintf("kompeten-testpg-%d", os.Geteuid()))
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	// 0755 so the postgres user can enter it when tests run as root.
	if err := os.Chmod(root, 0o755); err != nil {
		return "", err
	}
	unlock, err := lockFile(filepath.Join(root, "lock"))
	if err != nil {
		return "", fmt.Errorf("lock %s: %w", root, err)
	}
	defer unlock()
	port, err := freeport.Find("127.0.0.1")
	if err != nil {
		return "", err
	}
	c, err := pgcluster.Start(ctx, filepath.Join(root, "data"), port, nil)
	if err != nil {
		return "", err
	}
	return c.URL(), nil
}

// admin runs one statement on the server's maintenance database (CREATE/DROP DATABASE cannot run
// in the database they affect).
func admin(ctx context.Context, base, sql string) error {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("testdb: random name: %v", err)
	}
	return hex.EncodeToString(b)
}
