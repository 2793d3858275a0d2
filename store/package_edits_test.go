package store_test

import (
	"context"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// An edit changes the editable fields only, keeps who made it with the values before and after,
// and refuses an LSP that is not one.
func TestEditPackageAudited(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := createPackage(t, st, "PKG-SBY-EDIT", day(2026, 3, 2), day(2026, 4, 10))

	v := store.ValuesOf(p)
	v.Start, v.End, v.Hours, v.AttendanceMin, v.AutoApprove = day(2026, 3, 9), day(2026, 4, 17), 240, 0.75, false
	old, id, err := st.EditPackage(ctx, p.Code, v, "koord-1", "coordinator")
	must(t, err)
	if !old.StartDate.Equal(p.StartDate) || old.Hours != p.Hours {
		t.Fatalf("old = %+v", old)
	}
	got, err := st.GetPackage(ctx, p.Code)
	must(t, err)
	if !got.StartDate.Equal(v.Start) || !got.EndDate.Equal(v.End) || got.Hours != 240 || got.AttendanceMin != 0.75 ||
		got.AutoApprove || got.Capacity != p.Capacity || got.Scheme != p.Scheme {
		t.Fatalf("after the edit: %+v", got)
	}
	must(t, st.RecordPackageEditCases(ctx, id, []store.PackageEditCase{{CaseID: "c1", Outcome: "applied", Message: "ok"}}))

	bad := v
	bad.LSP = "BPJSTK-JATIM"
	_, _, err = st.EditPackage(ctx, p.Code, bad, "koord-1", "coordinator")
	mustErrIs(t, err, store.ErrInvalid)
	bad.LSP = "LSP-NOPE"
	_, _, err = st.EditPackage(ctx, p.Code, bad, "koord-1", "coordinator")
	mustErrIs(t, err, store.ErrInvalid)
	_, _, err = st.EditPackage(ctx, "NOPE", v, "koord-1", "coordinator")
	mustErrIs(t, err, store.ErrNotFound)

	edits, err := st.ListPackageEdits(ctx, p.Code)
	must(t, err)
	if len(edits) != 1 {
		t.Fatalf("%d edits audited, want 1 (refused edits leave none)", len(edits))
	}
	e := edits[0]
	if e.EditedBy != "koord-1" || e.Role != "coordinator" || !e.Old.Start.Equal(p.StartDate) || !e.New.Start.Equal(v.Start) ||
		e.Old.Hours != p.Hours || e.New.Hours != 240 || len(e.Cases) != 1 || e.Cases[0].CaseID != "c1" || e.EditedAt.IsZero() {
		t.Fatalf("audit = %+v", e)
	}
}
