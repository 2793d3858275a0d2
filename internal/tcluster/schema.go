package tcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Postgres is the PostgreSQL server the cluster keeps its two databases on.
type Postgres struct {
	// URL is a superuser's URL on the server's maintenance database
	// (postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable).
	URL string
}

// DefaultPostgresURL is the local server a developer machine and CI have (trust auth).
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// endpoint splits the URL into what the server's configuration and temporal-sql-tool take.
func (p Postgres) endpoint() (host, port, user, password string, err error) {
	u, err := url.Parse(p.URL)
	if err != nil {
		return "", "", "", "", fmt.Errorf("postgres url: %w", err)
	}
	host, port = u.Hostname(), u.Port()
	if port == "" {
		port = "5432"
	}
	if u.User == nil || u.User.Username() == "" {
		return "", "", "", "", errors.New("postgres url names no user")
	}
	password, _ = u.User.Password()
	return host, port, u.User.Username(), password, nil
}

// addr is host:port for the server configuration's connectAddr.
func (p Postgres) addr() (string, error) {
	host, port, _, _, err := p.endpoint()
	return net.JoinHostPort(host, port), err
}

// DropDatabases drops the named databases if they exist (WITH (FORCE): connections a killed
// node left behind do not block it).
func (p Postgres) DropDatabases(ctx context.Context, names ...string) error {
	conn, err := pgx.Connect(ctx, p.URL)
	if err != nil {
		return fmt.Errorf("connect to postgres: %w", err)
	}
	defer conn.Close(ctx)
	for _, n := range names {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{n}.Sanitize()+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop database %s: %w", n, err)
		}
	}
	return nil
}

// exists says whether a database is there.
func (p Postgres) exists(ctx context.Context, name string) (bool, error) {
	conn, err := pgx.Connect(ctx, p.URL)
	if err != nil {
		return false, fmt.Errorf("connect to postgres: %w", err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		return false, fmt.Errorf("look for database %s: %w", name, err)
	}
	return n == 1, nil
}

// PrepareDatabases creates the persistence and visibility databases when they are missing and
// brings their schemas to the server's version with temporal-sql-tool, exactly as an operator
// does (setup-schema -v 0.0 on a new database, then update-schema over the versioned
// directory, which applies only what is not applied yet).
func PrepareDatabases(ctx context.Context, b Binaries, pg Postgres, persistence, visibility string) error {
	for _, db := range []struct{ name, schema string }{
		{persistence, "temporal"},
		{visibility, "visibility"},
	} {
		found, err := pg.exists(ctx, db.name)
		if err != nil {
			return err
		}
		if !found {
			if err := sqlTool(ctx, b, pg, db.name, "create-database", "--defaultdb", "postgres"); err != nil {
				return err
			}
			if err := sqlTool(ctx, b, pg, db.name, "setup-schema", "-v", "0.0"); err != nil {
				return err
			}
		}
		if err := sqlTool(ctx, b, pg, db.name, "update-schema", "-d", filepath.Join(b.SchemaDir, db.schema, "versioned")); err != nil {
			return err
		}
	}
	return nil
}

// sqlTool runs temporal-sql-tool against one database of the server.
func sqlTool(ctx context.Context, b Binaries, pg Postgres, db string, args ...string) error {
	host, port, user, password, err := pg.endpoint()
	if err != nil {
		return err
	}
	all := append([]string{"--plugin", "postgres12", "--ep", host, "-p", port, "-u", user, "--db", db}, args...)
	cmd := exec.CommandContext(ctx, b.SQLTool, all...)
	// The password goes through the environment, not the command line other users can read.
	cmd.Env = append(cmd.Environ(), "SQL_PASSWORD="+password)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("temporal-sql-tool %s on %s: %w\n%s", args[0], db, err, strings.TrimSpace(out.String()))
	}
	return nil
}
