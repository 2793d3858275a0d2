package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

func TestAppendEventIdempotent(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	e1 := store.Event{CaseID: "C1", Key: "enrolled", Kind: "enrolled", Stage: "enrolment", At: t0.Add(time.Hour)}
	e2 := store.Event{CaseID: "C1", Key: "imported", Kind: "imported", Stage: "enrolment", ActorRole: "blk_admin", At: t0}
	must(t, st.AppendEvent(ctx, e1))
	must(t, st.AppendEvent(ctx, e2))
	replay := e1
	replay.Detail = "replayed"
	must(t, st.AppendEvent(ctx, replay))
	must(t, st.AppendEvent(ctx, store.Event{CaseID: "C2", Key: "enrolled", Kind: "enrolled"}))

	evs, err := st.CaseEvents(ctx, "C1")
	must(t, err)
	if len(evs) != 2 || evs[0].Key != "imported" || evs[1].Key != "enrolled" || evs[1].Detail != "" ||
		evs[0].ActorRole != "blk_admin" || evs[0].ID == 0 {
		t.Fatalf("events = %+v", evs)
	}
	mustErrIs(t, st.AppendEvent(ctx, store.Event{CaseID: "C1", Kind: "x"}), store.ErrInvalid)
}
