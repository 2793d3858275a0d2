package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// An event's and a stuck case's message code and parameters come back as they were written; an
// event written without them (as before the catalogue) comes back with none.
func TestMessageCodesRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	must(t, st.AppendEvent(ctx, store.Event{CaseID: "W1", Key: "000001", Kind: "started", Detail: "case opened", At: t0}))
	must(t, st.AppendEvent(ctx, store.Event{CaseID: "W1", Key: "000002", Kind: "stuck", Detail: "no active MoU with LSP-A for centre BLK-SBY",
		Code: "stuck.no-agreement", Params: map[string]string{"partner": "LSP-A", "centre": "BLK-SBY"}, At: t0.Add(time.Minute)}))
	evs, err := st.CaseEvents(ctx, "W1")
	must(t, err)
	if len(evs) != 2 || evs[0].Code != "" || evs[0].Params != nil || evs[1].Code != "stuck.no-agreement" || evs[1].Params["partner"] != "LSP-A" {
		t.Fatalf("events = %+v", evs)
	}
	since := t0
	must(t, st.UpsertCase(ctx, store.Case{CaseID: "W1", WorkflowID: "journey/W1", PackageCode: "P1", CentreCode: "BLK-SBY", Stage: "assessment",
		Stuck: true, StuckCode: "no-agreement", StuckReason: "no active MoU", StuckSince: &since, Version: 1,
		StuckMessage: "stuck.no-agreement", StuckParams: map[string]string{"partner": "LSP-A", "centre": "BLK-SBY"}}))
	c, err := st.GetCase(ctx, "W1")
	must(t, err)
	if c.StuckMessage != "stuck.no-agreement" || c.StuckParams["centre"] != "BLK-SBY" {
		t.Fatalf("case = %+v", c)
	}
}

// An account keeps its language and time zone; other values are refused.
func TestAccountPreferences(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	a, err := st.CreateAccount(ctx, store.Account{Username: "wayan", Role: "viewer", CreatedBy: "admin"})
	must(t, err)
	if a.Lang != "id" || a.TimeZone != "WIB" {
		t.Fatalf("new account speaks %s in %s, want id in WIB", a.Lang, a.TimeZone)
	}
	must(t, st.SetAccountPreferences(ctx, a.ID, "en", "WITA"))
	got, err := st.AccountByID(ctx, a.ID)
	must(t, err)
	if got.Lang != "en" || got.TimeZone != "WITA" {
		t.Fatalf("account speaks %s in %s, want en in WITA", got.Lang, got.TimeZone)
	}
	mustErrIs(t, st.SetAccountPreferences(ctx, a.ID, "fr", "WIB"), store.ErrInvalid)
	mustErrIs(t, st.SetAccountPreferences(ctx, a.ID, "id", "UTC"), store.ErrInvalid)
	mustErrIs(t, st.SetAccountPreferences(ctx, a.ID+1000, "id", "WIB"), store.ErrNotFound)
}
