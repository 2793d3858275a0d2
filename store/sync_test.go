package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// TestSyncCaseWritesRowAndEventsInOneStatement: the row follows UpsertCase's version rule, the
// events are idempotent by key, a stale row still brings its events, and a failing statement
// leaves nothing of its batch behind.
func TestSyncCaseWritesRowAndEventsInOneStatement(t *testing.T) {
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

// TestSyncCaseKeepsEveryFieldOfSeveralEvents: the events written in the row's statement keep
// their order, words, parameters and evidence, and an event without a time gets the write's.
func TestSyncCaseKeepsEveryFieldOfSeveralEvents(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	before := time.Now().Add(-time.Minute)
	evidence := &store.EventEvidence{Units: []store.UnitResult{{Unit: "U1", Result: "K"}}, Assessor: "Bu Ani", Warnings: []string{"w"}}
	events := []store.Event{
		{CaseID: "C1", Key: "000001", Kind: "started", Stage: "enrolment", Detail: "started", At: at, Code: "event.started"},
		{CaseID: "C1", Key: "000002", Kind: "assessment-result", Stage: "certification", ActorID: "m1", ActorRole: "lsp-manager",
			Detail: "assessed", At: at.Add(time.Second), Code: "event.assessed", Params: map[string]string{"units": "1"}, Evidence: evidence},
		{CaseID: "C1", Key: "000003", Kind: "note", Stage: "certification", Detail: "no time given"},
	}
	must(t, st.SyncCase(ctx, newCase("C1", "P1", "h1", 1), events))
	got, err := st.CaseEvents(ctx, "C1")
	must(t, err)
	if len(got) != 3 {
		t.Fatalf("want 3 events, got %+v", got)
	}
	for i, e := range got[:2] {
		w := events[i]
		if e.Key != w.Key || e.Kind != w.Kind || e.Stage != w.Stage || e.ActorID != w.ActorID || e.ActorRole != w.ActorRole ||
			e.Detail != w.Detail || !e.At.Equal(w.At) || e.Code != w.Code || len(e.Params) != len(w.Params) {
			t.Errorf("event %d: got %+v, want %+v", i+1, e, w)
		}
	}
	if got[1].Params["units"] != "1" {
		t.Errorf("params: %+v", got[1].Params)
	}
	if got[2].At.Before(before) {
		t.Errorf("an event without a time got %v, want the write's time", got[2].At)
	}
	latest, err := st.LatestEvents(ctx, []string{"C1"}, "assessment-result")
	must(t, err)
	if e := latest["C1"].Evidence; e == nil || e.Assessor != "Bu Ani" || len(e.Units) != 1 || e.Units[0].Result != "K" || len(e.Warnings) != 1 {
		t.Errorf("evidence: %+v", latest)
	}
}
