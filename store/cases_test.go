package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

func newCase(id, pkg, nik string, version int64) store.Case {
	return store.Case{CaseID: id, WorkflowID: "journey-" + id, PackageCode: pkg, CentreCode: "BLK-SBY",
		LSPCode: "LSP-BLK-SBY", NIKHash: nik, Stage: "enrolment", Status: store.StatusOpen, Version: version,
		StageEnteredAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
}

func TestUpsertCaseVersionRule(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	c := newCase("C1", "P1", "h1", 2)
	must(t, st.UpsertCase(ctx, c))

	older := c
	older.Version, older.Stage = 1, "stale"
	must(t, st.UpsertCase(ctx, older)) // ignored silently
	got, err := st.GetCase(ctx, "C1")
	must(t, err)
	if got.Stage != "enrolment" || got.Version != 2 {
		t.Fatalf("older write applied: %+v", got)
	}

	same := c
	same.KPJ = "12345678901"
	must(t, st.UpsertCase(ctx, same)) // equal version rewrites
	newer := same
	newer.Version, newer.Stage, newer.Stuck, newer.StuckCode = 3, "insurance", true, "bpjs_down"
	since := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	newer.StuckSince = &since
	must(t, st.UpsertCase(ctx, newer))

	got, err = st.GetCaseByWorkflowID(ctx, "journey-C1")
	must(t, err)
	if got.Version != 3 || got.Stage != "insurance" || got.KPJ != "12345678901" || !got.Stuck ||
		got.StuckSince == nil || !got.StuckSince.Equal(since) || got.UpdatedAt.IsZero() {
		t.Fatalf("got %+v", got)
	}

	_, err = st.GetCase(ctx, "nope")
	mustErrIs(t, err, store.ErrNotFound)
	_, err = st.GetCaseByWorkflowID(ctx, "nope")
	mustErrIs(t, err, store.ErrNotFound)

	// Another case claiming the same workflow id is refused.
	clash := newCase("C2", "P1", "h2", 1)
	clash.WorkflowID = "journey-C1"
	mustErrIs(t, st.UpsertCase(ctx, clash), store.ErrExists)
}

func TestListAndCountCases(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	a := newCase("A", "P1", "h1", 1)
	a.StageEnteredAt = t0.Add(3 * time.Hour)
	b := newCase("B", "P1", "h2", 1)
	b.StageEnteredAt = t0.Add(2 * time.Hour)
	b.Stuck, b.StuckReason = true, "waiting on BPJS"
	stuckAt := t0.Add(time.Hour)
	b.StuckSince = &stuckAt
	c := newCase("C", "P2", "h3", 1)
	c.CentreCode, c.StageEnteredAt, c.Stage = "BLK-TBN", t0, "training"
	for _, x := range []store.Case{a, b, c} {
		must(t, st.UpsertCase(ctx, x))
	}

	ids := func(f store.CaseFilter) []string {
		t.Helper()
		cs, err := st.ListCases(ctx, f)
		must(t, err)
		var out []string
		for _, c := range cs {
			out = append(out, c.CaseID)
		}
		n, err := st.CountCases(ctx, store.CaseFilter{PackageCode: f.PackageCode, CentreCode: f.CentreCode,
			LSPCode: f.LSPCode, Stage: f.Stage, Status: f.Status, StuckOnly: f.StuckOnly})
		must(t, err)
		if f.Limit == 0 && f.Offset == 0 && n != len(out) {
			t.Fatalf("count %d != list %d for %+v", n, len(out), f)
		}
		return out
	}
	eq := func(got []string, want ...string) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("got %v, want %v", got, want)
			}
		}
	}
	eq(ids(store.CaseFilter{}), "C", "B", "A")
	eq(ids(store.CaseFilter{PackageCode: "P1"}), "B", "A")
	eq(ids(store.CaseFilter{StuckOnly: true}), "B")
	eq(ids(store.CaseFilter{CentreCode: "BLK-SBY", Stage: "enrolment"}), "B", "A")
	eq(ids(store.CaseFilter{Stage: "training", Status: store.StatusOpen}), "C")
	eq(ids(store.CaseFilter{Limit: 1, Offset: 1}), "B")
	eq(ids(store.CaseFilter{LSPCode: "LSP-NOPE"}))

	byNIK, err := st.CasesByNIKHash(ctx, "h2")
	must(t, err)
	if len(byNIK) != 1 || byNIK[0].CaseID != "B" {
		t.Fatalf("by nik = %+v", byNIK)
	}
}

func TestOverlappingActiveCases(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	createPackage(t, st, "MAR", day(2026, 3, 2), day(2026, 4, 10))
	createPackage(t, st, "MAY", day(2026, 5, 4), day(2026, 6, 12))
	createPackage(t, st, "APR", day(2026, 4, 6), day(2026, 5, 15))
	must(t, st.UpsertCase(ctx, newCase("M1", "MAR", "h1", 1)))
	must(t, st.UpsertCase(ctx, newCase("Y1", "MAY", "h1", 1)))
	closed := newCase("M2", "MAR", "h2", 1)
	closed.Status, closed.Outcome = store.StatusClosed, "withdrawn"
	must(t, st.UpsertCase(ctx, closed))

	check := func(nik string, start, end time.Time, exclude string, want ...string) {
		t.Helper()
		cs, err := st.OverlappingActiveCases(ctx, nik, start, end, exclude)
		must(t, err)
		if len(cs) != len(want) {
			t.Fatalf("overlap %s %v-%v: got %d cases, want %v", nik, start, end, len(cs), want)
		}
		for i := range cs {
			if cs[i].CaseID != want[i] {
				t.Fatalf("overlap: got %s, want %v", cs[i].CaseID, want)
			}
		}
	}
	// APR overlaps both MAR (until Apr 10) and MAY (from May 4).
	check("h1", day(2026, 4, 6), day(2026, 5, 15), "APR", "M1", "Y1")
	// The package being enrolled into does not count against itself.
	check("h1", day(2026, 3, 2), day(2026, 4, 10), "MAR")
	// Touching on the last day is an overlap (inclusive dates).
	check("h1", day(2026, 4, 10), day(2026, 4, 20), "", "M1")
	// A gap between packages is fine.
	check("h1", day(2026, 4, 11), day(2026, 5, 3), "")
	// Closed cases do not block.
	check("h2", day(2026, 3, 1), day(2026, 12, 31), "")
}

func TestCountOpenInPackage(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	must(t, st.UpsertCase(ctx, newCase("1", "P", "h1", 1)))
	rejected := newCase("2", "P", "h2", 1)
	rejected.Status, rejected.Outcome = store.StatusClosed, vocab.OutcomeRejected
	withdrawn := newCase("3", "P", "h3", 1)
	withdrawn.Status, withdrawn.Outcome = store.StatusClosed, vocab.OutcomeWithdrawn
	dropped := newCase("4", "P", "h4", 1)
	dropped.Status, dropped.Outcome = store.StatusClosed, "dropped_out"
	for _, c := range []store.Case{rejected, withdrawn, dropped, newCase("5", "Q", "h5", 1)} {
		must(t, st.UpsertCase(ctx, c))
	}
	n, err := st.CountOpenInPackage(ctx, "P")
	must(t, err)
	if n != 2 {
		t.Fatalf("seats taken = %d, want 2 (open + dropped out)", n)
	}
}

func TestUpsertCaseKeepsRecordedAttempts(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	c := newCase("C1", "P1", "h1", 1)
	must(t, st.UpsertCase(ctx, c))
	must(t, st.RecordAttempt(ctx, "C1", 7, "503"))
	c.Version, c.Stuck = 2, true
	must(t, st.UpsertCase(ctx, c))
	got, err := st.GetCase(ctx, "C1")
	must(t, err)
	if got.Attempts != 7 || got.LastError != "503" || !got.Stuck {
		t.Fatalf("projection wiped attempts: %+v", got)
	}
	must(t, st.RecordAttempt(ctx, "C1", 0, ""))
	got, err = st.GetCase(ctx, "C1")
	must(t, err)
	if got.Attempts != 0 || got.LastError != "" {
		t.Fatalf("attempts not cleared: %+v", got)
	}
}

// TestClearingClearAttemptsWritesNothing: a partner call that succeeds at once clears attempts
// that are clear already; the row keeps its version (xmin), so no row, WAL or commit is written.
func TestClearingClearAttemptsWritesNothing(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	must(t, st.UpsertCase(ctx, newCase("C1", "P1", "h1", 1)))
	xmin := func() string {
		var x string
		must(t, st.Pool().QueryRow(ctx, `SELECT xmin::text FROM cases WHERE case_id = 'C1'`).Scan(&x))
		return x
	}
	before := xmin()
	must(t, st.RecordAttempt(ctx, "C1", 0, ""))
	if after := xmin(); after != before {
		t.Fatalf("clearing clear attempts wrote the row again (xmin %s -> %s)", before, after)
	}
	must(t, st.RecordAttempt(ctx, "C1", 2, "503"))
	if after := xmin(); after == before {
		t.Fatal("a failing attempt was not written")
	}
}
