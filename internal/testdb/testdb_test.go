package testdb

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestNewGivesDistinctEmptyDatabases(t *testing.T) {
	a, b := New(t), New(t)
	if a == b {
		t.Fatal("two tests got the same database")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("fresh database has %d tables", n)
	}
}

func TestNewMigrated(t *testing.T) {
	_, st := NewMigrated(t)
	centres, err := st.ListCentres(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(centres) != 19 {
		t.Fatalf("centres = %d, want 19", len(centres))
	}
}
