package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver goose runs on
	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrateLockID is the advisory lock key held while migrating ("kompeten" as ASCII bytes), so two
// processes starting together run the migrations once, one after the other.
const migrateLockID int64 = 0x6b6f6d706574656e

// Migrate applies all pending migrations. It is safe to call at every start and from several
// processes at once: a session-level advisory lock serialises them and goose skips applied files.
func Migrate(ctx context.Context, databaseURL string) error {
	return migrateTo(ctx, databaseURL, 0)
}

// migrateTo applies the pending migrations up to version, or all of them for version 0 (the
// tests of a migration start from the schema before it).
func migrateTo(ctx context.Context, databaseURL string, version int64) error {
	db, err := sql.Open("pgx", databaseURL)
	if err != nil {
		return fmt.Errorf("migrate: open database: %w", err)
	}
	defer db.Close()

	// The lock lives on one dedicated connection; goose runs on the others in the pool.
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: connect: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLockID); err != nil {
		return fmt.Errorf("migrate: take advisory lock: %w", err)
	}
	// Unlock with a fresh context: ctx may already be cancelled, and closing the connection would
	// release the lock anyway, but an explicit unlock keeps pooled sessions clean.
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLockID) //nolint:errcheck

	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return fmt.Errorf("migrate: embedded files: %w", err)
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, sub)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if version > 0 {
		if _, err := provider.UpTo(ctx, version); err != nil {
			return fmt.Errorf("migrate: up to %d: %w", version, err)
		}
		return nil
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("migrate: up: %w", err)
	}
	return nil
}

// SchemaStatus is the database's schema version against the newest migration in this binary.
type SchemaStatus struct {
	Current, Latest int64
}

// Behind tells whether migrations in this binary are not applied yet. A database ahead of the
// binary (an older release during a roll-out) is not behind.
func (s SchemaStatus) Behind() bool { return s.Current < s.Latest }

// CheckSchema reads the database's schema version (0 on an empty database) and applies
// nothing (goose may create its empty version table on a database that has none).
func CheckSchema(ctx context.Context, databaseURL string) (SchemaStatus, error) {
	db, err := sql.Open("pgx", databaseURL)
	if err != nil {
		return SchemaStatus{}, fmt.Errorf("schema check: open database: %w", err)
	}
	defer db.Close()
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return SchemaStatus{}, fmt.Errorf("schema check: embedded files: %w", err)
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, sub)
	if err != nil {
		return SchemaStatus{}, fmt.Errorf("schema check: %w", err)
	}
	var st SchemaStatus
	for _, src := range provider.ListSources() {
		st.Latest = max(st.Latest, src.Version)
	}
	cur, err := provider.GetDBVersion(ctx)
	if err != nil {
		return SchemaStatus{}, fmt.Errorf("schema check: read version: %w", err)
	}
	st.Current = cur
	return st, nil
}
