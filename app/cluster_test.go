package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
)

// serve and worker refuse a schema older than theirs and say what to run; serve with
// database.migrate_on_start brings it up to date instead, after which both start.
func TestOpenProductionStoreOnAnOldSchema(t *testing.T) {
	ctx := context.Background()
	c := config.Default()
	c.Database.URL = testdb.New(t)
	_, err := app.OpenProductionStore(ctx, &c, false)
	if err == nil || !strings.Contains(err.Error(), "is at version 0, this kompeten needs") ||
		!strings.Contains(err.Error(), "run `kompeten migrate`") || !strings.Contains(err.Error(), "database.migrate_on_start") {
		t.Fatalf("empty database: %v, want the versions and what to run", err)
	}
	st, err := app.OpenProductionStore(ctx, &c, true)
	if err != nil {
		t.Fatalf("with migrate on start: %v", err)
	}
	st.Close()
	st, err = app.OpenProductionStore(ctx, &c, false)
	if err != nil {
		t.Fatalf("after the migration: %v", err)
	}
	defer st.Close()
	if n, err := st.CountCentres(ctx); err != nil || n == 0 {
		t.Fatalf("the registry seed was not loaded with the migration: %d centres, %v", n, err)
	}
}
