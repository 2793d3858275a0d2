package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/jackc/pgx/v5"
)

func TestMigrateTwiceIsNoop(t *testing.T) {
	ctx := context.Background()
	url := testdb.New(t)
	must(t, store.Migrate(ctx, url))
	before := migrationRows(t, url)
	must(t, store.Migrate(ctx, url))
	if after := migrationRows(t, url); after != before {
		t.Fatalf("goose_db_version rows %d -> %d after a second migrate", before, after)
	}
}

func TestMigrateConcurrently(t *testing.T) {
	ctx := context.Background()
	url := testdb.New(t)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Go(func() { errs[i] = store.Migrate(ctx, url) })
	}
	wg.Wait()
	for _, err := range errs {
		must(t, err)
	}
	st, err := store.Open(ctx, url)
	must(t, err)
	defer st.Close()
	must(t, st.Ping(ctx))
	if _, err := st.ListCentres(ctx); err != nil {
		t.Fatal(err)
	}
}

func migrationRows(t *testing.T, url string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	must(t, err)
	defer conn.Close(ctx)
	var n int
	must(t, conn.QueryRow(ctx, `SELECT count(*) FROM goose_db_version`).Scan(&n))
	return n
}

// TestCheckSchema: an empty database and one a migration short are behind, a migrated one is
// not, and the check applies nothing.
func TestCheckSchema(t *testing.T) {
	ctx := context.Background()
	url := testdb.New(t)
	st, err := store.CheckSchema(ctx, url)
	must(t, err)
	if st.Current != 0 || st.Latest < 11 || !st.Behind() {
		t.Fatalf("empty database: %+v, want current 0, behind", st)
	}
	must(t, store.MigrateTo(ctx, url, st.Latest-1))
	short, err := store.CheckSchema(ctx, url)
	must(t, err)
	// Migration numbers are handed out to parallel branches, so the one before the latest may
	// be a few numbers lower (00016 before 00019 until 00017 and 00018 land).
	if short.Current >= st.Latest || short.Current < st.Latest-3 || !short.Behind() {
		t.Fatalf("one migration short: %+v, want current just below %d, behind", short, st.Latest)
	}
	if again, err := store.CheckSchema(ctx, url); err != nil || again != short {
		t.Fatalf("a second check changed the schema: %+v, %v", again, err)
	}
	must(t, store.Migrate(ctx, url))
	done, err := store.CheckSchema(ctx, url)
	must(t, err)
	if done.Current != done.Latest || done.Behind() {
		t.Fatalf("migrated: %+v, want current = latest", done)
	}
}
