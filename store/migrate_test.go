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
