package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

func TestBatchQueue(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	a := store.BatchRegistration{CaseID: "A", WorkflowID: "journey-A", Payload: []byte(`{"name":"x"}`), CreatedAt: t0}
	b := store.BatchRegistration{CaseID: "B", WorkflowID: "journey-B", Payload: []byte(`{"name":"y"}`), CreatedAt: t0.Add(time.Minute)}
	must(t, st.EnqueueBatch(ctx, a))
	must(t, st.EnqueueBatch(ctx, b))
	retry := a
	retry.Payload = []byte(`{"name":"changed"}`)
	must(t, st.EnqueueBatch(ctx, retry)) // idempotent: first payload kept

	pending, err := st.PendingBatch(ctx)
	must(t, err)
	if len(pending) != 2 || pending[0].CaseID != "A" || string(pending[0].Payload) != `{"name": "x"}` ||
		pending[0].ExportedAt != nil {
		t.Fatalf("pending = %+v (payload %s)", pending, pending[0].Payload)
	}

	_, err = st.RecordBatchExport(ctx, store.BatchExport{TakenBy: "rina", TakenRole: vocab.RoleInsurerLiaison, TakenAt: t0.Add(time.Hour), CaseIDs: []string{"A", "B"}})
	must(t, err)
	wf, err := st.SetBatchKPJ(ctx, "A", "12345678901")
	must(t, err)
	if wf != "journey-A" {
		t.Fatalf("workflow = %s", wf)
	}
	wf, err = st.SetBatchKPJ(ctx, "A", "12345678901") // same import again
	must(t, err)
	if wf != "journey-A" {
		t.Fatalf("workflow = %s", wf)
	}
	_, err = st.SetBatchKPJ(ctx, "A", "99999999999")
	mustErrIs(t, err, store.ErrExists)
	_, err = st.SetBatchKPJ(ctx, "Z", "12345678901")
	mustErrIs(t, err, store.ErrNotFound)

	pending, err = st.PendingBatch(ctx)
	must(t, err)
	if len(pending) != 1 || pending[0].CaseID != "B" || pending[0].ExportedAt == nil {
		t.Fatalf("pending = %+v", pending)
	}

	undelivered, err := st.UndeliveredKPJs(ctx)
	must(t, err)
	if len(undelivered) != 1 || undelivered[0].KPJ != "12345678901" {
		t.Fatalf("undelivered = %+v", undelivered)
	}
	must(t, st.MarkBatchDelivered(ctx, "A", t0.Add(2*time.Hour)))
	undelivered, err = st.UndeliveredKPJs(ctx)
	must(t, err)
	if len(undelivered) != 0 {
		t.Fatalf("undelivered = %+v", undelivered)
	}
	mustErrIs(t, st.MarkBatchDelivered(ctx, "Z", t0), store.ErrNotFound)
}
