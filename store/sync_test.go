package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// TestSyncCaseWritesRowAndEventsInOneBatch: the row follows UpsertCase's version rule, the
// events are idempotent by key, a stale row still brings its events, and a failing statement
// leaves nothing of its batch behind.
func TestSyncCaseWritesRowAndEventsInOneBatch(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	ev := func(key, kind string) store.Event {
		return store.Event{CaseID: "C1", Key: key, Kind: kind, Stage: "enrolment", Detail: kind, At: at}
	}
	c := newCase("C1", "P1", "h1", 2)
	must(t, st.SyncCase(ctx, c, []store.Event{ev("000001", "started"), ev("000002", "stage")}))
	must(t, st.SyncCase(ctx, c, []store.Event{ev("000001", "started"), ev("000002", "stage")})) // a retry

	stale := c
	stale.Version, stale.Stage = 1, "stale"
	must(t, st.SyncCase(ctx, stale, []store.Event{ev("000003", "late")}))
	got, err := st.GetCase(ctx, "C1")
	must(t, err)
	if got.Stage != "enrolment" || got.Version != 2 {
		t.Fatalf("stale row applied: %+v", got)
	}
	events, err := st.CaseEvents(ctx, "C1")
	must(t, err)
	if len(events) != 3 {
		t.Fatalf("want 3 events (two, once each, and the stale write's), got %+v", events)
	}

	// Another case claiming the same workflow id is refused, and its events are not written.
	clash := newCase("C2", "P1", "h2", 1)
	clash.WorkflowID = "journey-C1"
	mustErrIs(t, st.SyncCase(ctx, clash, []store.Event{{CaseID: "C2", Key: "000001", Kind: "started", At: at}}), store.ErrExists)
	if events, err := st.CaseEvents(ctx, "C2"); err != nil || len(events) != 0 {
		t.Fatalf("a refused row's events: %+v, %v", events, err)
	}
	mustErrIs(t, st.SyncCase(ctx, newCase("C3", "P1", "h3", 1), []store.Event{{CaseID: "C3"}}), store.ErrInvalid)
}
