package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// newStore returns a migrated, seeded store on a fresh database.
func newStore(t *testing.T) *store.Store {
	t.Helper()
	_, st := testdb.NewMigrated(t)
	return st
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func mustErrIs(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// createPackage creates a package at BLK-SBY certified by LSP-BLK-SBY.
func createPackage(t *testing.T, st *store.Store, code string, start, end time.Time) store.Package {
	t.Helper()
	p := store.Package{
		Code: code, CentreCode: "BLK-SBY", Trade: "Welding", Scheme: "SKEMA-LAS-SMAW", LSPCode: "LSP-BLK-SBY",
		StartDate: start, EndDate: end, Hours: 240, Capacity: 16, AttendanceMin: 0.8, AutoApprove: true,
	}
	must(t, st.CreatePackage(context.Background(), p))
	return p
}

// setStatus moves an agreement to a status the way its workflow would: a newer version of its
// whole row.
func setStatus(t *testing.T, st *store.Store, number, status string) {
	t.Helper()
	ctx := context.Background()
	a, err := st.GetAgreement(ctx, number)
	must(t, err)
	a.Status, a.Version = status, a.Version+1
	must(t, st.UpsertAgreement(ctx, a))
}
