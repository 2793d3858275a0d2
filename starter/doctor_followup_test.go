package starter_test

import (
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// kompeten doctor --repair fills the follow-up of a row written before the follow-up columns
// came: the row it would write carries the journey's follow-up, and out of follow-up none.
func TestRowFromStateCarriesTheFollowUp(t *testing.T) {
	next := time.Date(2027, 1, 5, 2, 0, 0, 0, time.UTC)
	st := workflows.CaseState{Stage: vocab.StagePlacement, Placement: workflows.PlacementState{FollowUpsDone: 1, NextFollowUp: &next}}
	row := starter.RowFromState(store.Case{CaseID: "c1"}, st)
	if f := row.FollowUp; f == nil || f.Missed != 1 || !f.Next.Equal(next) {
		t.Fatalf("repaired row's follow-up %+v", f)
	}
	st.Stage = vocab.StageClosed
	if row := starter.RowFromState(store.Case{CaseID: "c1", FollowUp: &store.FollowUp{Missed: 1}}, st); row.FollowUp != nil {
		t.Errorf("a closed case's repaired row keeps a follow-up %+v", row.FollowUp)
	}
}
