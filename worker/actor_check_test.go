package worker

import (
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The interceptor recomputes the case ID the API signed from the journey's workflow ID, and
// finds the actor in every journey update's argument.
func TestClaimInputsFromAJourney(t *testing.T) {
	wid := workflows.WorkflowIDFor("PKG-1", "abc123")
	got, ok := caseIDOf(wid)
	if !ok || got != workflows.CaseIDFor("PKG-1", "abc123") {
		t.Fatalf("case id of %s: %q %v", wid, got, ok)
	}
	if _, ok := caseIDOf("mou/MOU-1"); ok {
		t.Fatal("an agreement's workflow ID is not a journey's")
	}
	a := workflows.Actor{ID: "siti", Role: workflows.RoleCentreAdmin}
	for _, arg := range []any{
		workflows.EnrolmentDecision{Actor: a}, workflows.Correction{Actor: a}, workflows.Attendance{Actor: a},
		workflows.Withdrawal{Actor: a}, workflows.AssessmentResult{Actor: a}, workflows.CertificationDecision{Actor: a},
		workflows.PlacementReport{Actor: a},
	} {
		if got, ok := actorOf(arg); !ok || got != a {
			t.Errorf("%T: actor %+v %v", arg, got, ok)
		}
	}
	if _, ok := actorOf("not an update"); ok {
		t.Fatal("an argument without an actor must not pass")
	}
}
