package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

var coord = wf.Actor{ID: "coord-1", Role: vocab.RoleCoordinator}

// fullPackage answers every seat request of a 2-seat package with both seats taken: a plain
// approval is refused, the waiting list queues at position 1, over capacity seats a third.
func fullPackage(_ int, in contract.SeatInput) (contract.SeatOutcome, error) {
	switch {
	case in.Waitlist:
		return contract.SeatOutcome{Waiting: true, Position: 1, Taken: 2, Capacity: 2}, nil
	case in.OverCapacity:
		return contract.SeatOutcome{Seated: true, Taken: 3, Capacity: 2}, nil
	}
	return contract.SeatOutcome{Taken: 2, Capacity: 2}, nil
}

// A full package refuses the approval with the count, and the case still waits for a decision;
// a rejection then closes it and gives up its place.
func TestApprovalOfAFullPackageIsRefusedWithTheCount(t *testing.T) {
	h := newHarness(t)
	h.in.AutoApprove = false
	h.seat = fullPackage
	approve := h.updateAt(t0.Add(time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: true})
	after := h.stateAt(t0.Add(90 * time.Minute))
	reject := h.updateAt(t0.Add(2*time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Reason: "no seat this cohort"})
	s := h.run()

	require.True(t, approve.completed)
	require.ErrorContains(t, approve.err, "package PKG-LAS-2025-01 is full: 2 of 2 seats taken")
	require.Nil(t, after.Enrolment.Decision, "a refused approval decides nothing")
	require.Equal(t, vocab.WaitingCentreAdmin, after.WaitingOn)
	require.Empty(t, h.eventsOf("enrolment-approved"))
	reject.requireAccepted(t)
	require.Equal(t, vocab.OutcomeRejected, s.Outcome)
	require.Equal(t, 1, h.count("FreeSeat"), "a case closing before training gives up its seat or place")
	h.requireReadModelConsistent()
}

// An automatic approval that finds the package full leaves the case for a person, saying so.
func TestAutoApprovalOfAFullPackageWaitsForAPerson(t *testing.T) {
	h := newHarness(t)
	h.seat = fullPackage
	waiting := h.stateAt(t0.Add(time.Hour))
	h.updateAt(t0.Add(2*time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Reason: "full"})
	h.run()

	require.Nil(t, waiting.Enrolment.Decision)
	require.Equal(t, vocab.WaitingCentreAdmin, waiting.WaitingOn)
	checked := h.eventsOf("enrolment-checked")
	require.Len(t, checked, 1)
	require.Contains(t, checked[0].Detail, "not approved automatically: package PKG-LAS-2025-01 is full: 2 of 2 seats taken")
}

// An approval onto the waiting list holds the case, waiting on a seat, until the notice that a
// seat freed: then the journey goes on, with the event in its timeline.
func TestWaitlistedCaseMovesInWhenASeatFrees(t *testing.T) {
	h := newHarness(t)
	h.in.AutoApprove = false
	approve := h.updateAt(t0.Add(time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: true, Waitlist: true})
	h.seat = fullPackage
	waiting := h.stateAt(t0.Add(2 * time.Hour))
	agreementsWhileWaiting := -1
	h.at(t0.Add(2*time.Hour), func() { agreementsWhileWaiting = h.count("FindAgreement") })
	h.signalAt(t0.Add(3*time.Hour), wf.SignalSeatGranted, wf.SeatGranted{Package: h.in.PackageCode, FreedBy: "w1thdr4wn1"})
	h.standardAfterInsurance()
	s := h.run()

	approve.requireAccepted(t)
	require.Equal(t, "enrolment approved onto the waiting list of PKG-LAS-2025-01 at position 1 (2 of 2 seats taken)", approve.result.Message)
	require.Equal(t, vocab.WaitingSeat, waiting.WaitingOn)
	require.True(t, waiting.Enrolment.Seat.Waiting)
	require.Zero(t, agreementsWhileWaiting, "nothing past enrolment runs while the case waits for a seat")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	require.True(t, s.Enrolment.Seat.Seated)
	granted := h.eventsOf("seat-granted")
	require.Len(t, granted, 1)
	require.Equal(t, "seat in PKG-LAS-2025-01 given from the waiting list: freed by case w1thdr4wn1", granted[0].Detail)
	require.Equal(t, t0.Add(3*time.Hour), h.eventsOf("stage")[0].At, "insurance starts when the seat is given")
	requireOrder(t, h.kinds(), "enrolment-waitlisted", "seat-granted", "stage")
	h.requireReadModelConsistent()
}

// Only a coord approves over capacity, and only with a reason, which lands in the timeline.
func TestOverCapacityNeedsACoordinatorAndAReason(t *testing.T) {
	h := newHarness(t)
	h.in.AutoApprove = false
	h.seat = fullPackage
	byAdmin := h.updateAt(t0.Add(time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: true, OverCapacity: true, Reason: "x"})
	noReason := h.updateAt(t0.Add(2*time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: coord, Approve: true, OverCapacity: true})
	both := h.updateAt(t0.Add(3*time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: coord, Approve: true, OverCapacity: true, Waitlist: true, Reason: "x"})
	ok := h.updateAt(t0.Add(4*time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: coord, Approve: true, OverCapacity: true, Reason: "sponsored by the regency"})
	h.standardAfterInsurance()
	s := h.run()

	byAdmin.requireRejected(t, "only a coordinator may approve over capacity")
	noReason.requireRejected(t, "needs a reason")
	both.requireRejected(t, "not both")
	ok.requireAccepted(t)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	require.True(t, s.Enrolment.Seat.OverCapacity)
	approved := h.eventsOf("enrolment-approved")
	require.Len(t, approved, 1)
	require.Equal(t, "enrolment approved over capacity: 3 of 2 seats taken; reason: sponsored by the regency", approved[0].Detail)
	require.Equal(t, coord.ID, approved[0].ActorID)
	seats := inputs[contract.SeatInput](h, "TakeSeat")
	require.Len(t, seats, 1, "refused requests never reach the store")
	require.True(t, seats[0].OverCapacity)
}

// A seated case that withdraws before training frees its seat, and its timeline names the
// waiting case that moved in.
func TestWithdrawalBeforeTrainingFreesTheSeat(t *testing.T) {
	h := newHarness(t)
	h.freeSeat = func(int, contract.FreeSeatInput) (contract.FreeSeatResult, error) {
		return contract.FreeSeatResult{MovedIn: []string{"w4iting001"}}, nil
	}
	h.updateAt(t0.Add(2*time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "found a job"})
	s := h.run()

	require.Equal(t, vocab.OutcomeWithdrawn, s.Outcome)
	require.Equal(t, []contract.FreeSeatInput{{CaseID: caseID, PackageCode: h.in.PackageCode}}, inputs[contract.FreeSeatInput](h, "FreeSeat"))
	freed := h.eventsOf("seat-freed")
	require.Len(t, freed, 1)
	require.Equal(t, "seat in PKG-LAS-2025-01 given up; moved in from the waiting list: case w4iting001", freed[0].Detail)
	requireOrder(t, h.kinds(), "seat-freed", "closed")
	h.requireReadModelConsistent()
}

// A trainee who drops out during training keeps the seat counted: nobody joins a running cohort.
func TestDropOutDuringTrainingKeepsTheSeat(t *testing.T) {
	h := newHarness(t)
	h.updateAt(trainStart.Add(2*day), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "moved away"})
	s := h.run()

	require.Equal(t, vocab.OutcomeDroppedOut, s.Outcome)
	require.Zero(t, h.count("FreeSeat"))
}
