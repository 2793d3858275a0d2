package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// A trainee withdrawn before the file goes out is left out of every later file; each file
// taken is recorded with who took it, when and which cases; a KPJ that comes back for the
// withdrawn trainee is kept and flagged once, not delivered.
func TestBatchExchangeAudit(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i, id := range []string{"A", "B", "C"} {
		must(t, st.EnqueueBatch(ctx, store.BatchRegistration{CaseID: id, WorkflowID: "journey-" + id,
			Payload: []byte(`{}`), CreatedAt: t0.Add(time.Duration(i) * time.Minute)}))
		must(t, st.UpsertCase(ctx, store.Case{CaseID: id, WorkflowID: "journey-" + id, PackageCode: "P", Stage: vocab.StageInsurance,
			Status: store.StatusOpen, Version: 1, StageEnteredAt: t0}))
	}
	first, err := st.RecordBatchExport(ctx, store.BatchExport{TakenBy: "rina", TakenRole: vocab.RoleInsurerLiaison, TakenAt: t0.Add(time.Hour),
		CaseIDs: []string{"A", "B", "C"}})
	must(t, err)
	if first.ID == 0 || first.Rows != 3 {
		t.Fatalf("first export = %+v", first)
	}
	// B withdraws: the next file leaves it out.
	must(t, st.UpsertCase(ctx, store.Case{CaseID: "B", WorkflowID: "journey-B", PackageCode: "P", Stage: vocab.StageClosed,
		Status: store.StatusClosed, Outcome: vocab.OutcomeWithdrawn, Version: 2, StageEnteredAt: t0.Add(2 * time.Hour)}))
	pending, err := st.PendingBatch(ctx)
	must(t, err)
	ids := []string{}
	for _, p := range pending {
		ids = append(ids, p.CaseID)
	}
	if !slices.Equal(ids, []string{"A", "C"}) {
		t.Fatalf("pending after B withdrew = %v, want A and C", ids)
	}
	second, err := st.RecordBatchExport(ctx, store.BatchExport{TakenBy: "ops", TakenRole: vocab.RoleOperator, TakenAt: t0.Add(3 * time.Hour),
		CaseIDs: ids})
	must(t, err)
	empty, err := st.RecordBatchExport(ctx, store.BatchExport{TakenBy: "ops", TakenRole: vocab.RoleOperator, TakenAt: t0.Add(4 * time.Hour)})
	must(t, err)
	if empty.ID != 0 {
		t.Fatalf("a file without rows was recorded: %+v", empty)
	}
	exports, err := st.BatchExports(ctx, 0)
	must(t, err)
	if len(exports) != 2 || exports[0].ID != second.ID || exports[0].TakenBy != "ops" || exports[0].Rows != 2 ||
		!exports[1].TakenAt.Equal(t0.Add(time.Hour)) || !slices.Equal(exports[1].CaseIDs, []string{"A", "B", "C"}) {
		t.Fatalf("exports = %+v", exports)
	}
	last, err := st.LastExportOf(ctx, "B")
	must(t, err)
	if last.ID != first.ID {
		t.Fatalf("last file holding B = %d, want %d", last.ID, first.ID)
	}
	_, err = st.LastExportOf(ctx, "Z")
	mustErrIs(t, err, store.ErrNotFound)

	// B's KPJ comes back: flagged once, kept, never offered for delivery.
	flagged, err := st.FlagBatchKPJ(ctx, "B", "22222222222", t0.Add(5*time.Hour))
	must(t, err)
	again, err := st.FlagBatchKPJ(ctx, "B", "22222222222", t0.Add(6*time.Hour))
	must(t, err)
	if !flagged || again {
		t.Fatalf("flagged %v then %v, want true then false", flagged, again)
	}
	_, err = st.FlagBatchKPJ(ctx, "B", "33333333333", t0.Add(6*time.Hour))
	mustErrIs(t, err, store.ErrExists)
	_, err = st.FlagBatchKPJ(ctx, "Z", "33333333333", t0.Add(6*time.Hour))
	mustErrIs(t, err, store.ErrNotFound)
	b, err := st.BatchRegistrationOf(ctx, "B")
	must(t, err)
	if b.KPJ != "22222222222" || b.FlaggedAt == nil || !b.FlaggedAt.Equal(t0.Add(5*time.Hour)) || b.DeliveredAt != nil {
		t.Fatalf("B after the flag = %+v", b)
	}
	undelivered, err := st.UndeliveredKPJs(ctx)
	must(t, err)
	if len(undelivered) != 0 {
		t.Fatalf("a flagged KPJ is offered for delivery: %+v", undelivered)
	}
}
