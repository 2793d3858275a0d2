package workflows_test

import (
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The read model's follow-up comes from the placement state alone: the next due, the missed
// and unanswered follow-ups, the last contact, a self-report's window and employer; nothing
// out of the placement stage, and no window once staff confirmed.
func TestFollowUpRowFromState(t *testing.T) {
	next, at, until := time.Date(2027, 1, 5, 2, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC), time.Date(2026, 12, 20, 3, 0, 0, 0, time.UTC)
	st := workflows.CaseState{Stage: vocab.StagePlacement, Placement: workflows.PlacementState{
		FollowUpsDone: 2, NextFollowUp: &next, Unanswered: 3,
		LastContact:  &workflows.ContactState{Contact: vocab.ContactStillLooking, Note: "interview", At: at},
		Report:       &workflows.PlacementReport{Category: vocab.PlacementFormal, Employer: "PT Baja", SelfReported: true},
		Confirmation: &workflows.ConfirmationState{Status: workflows.ConfirmAwaiting, Until: until},
	}}
	f := workflows.FollowUpRow(st)
	if f == nil || !f.Next.Equal(next) || f.Missed != 2 || f.Unanswered != 3 || f.Contact != vocab.ContactStillLooking ||
		f.ContactNote != "interview" || !f.ContactAt.Equal(at) || f.ConfirmUntil == nil || !f.ConfirmUntil.Equal(until) || f.Employer != "PT Baja" {
		t.Fatalf("follow-up row %+v", f)
	}
	st.Placement.Confirmation.Status = workflows.ConfirmConfirmed
	if f := workflows.FollowUpRow(st); f.ConfirmUntil != nil {
		t.Errorf("a confirmed self-report still waits until %v", f.ConfirmUntil)
	}
	st.Stage = vocab.StageClosed
	if f := workflows.FollowUpRow(st); f != nil {
		t.Errorf("a closed case has a follow-up row %+v", f)
	}
}
