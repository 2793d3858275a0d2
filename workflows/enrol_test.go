package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

func TestEnrolmentWithProblemsWaitsForApproval(t *testing.T) {
	h := newHarness(t)
	h.in.ImportWarnings = []string{"NIK birth date differs from the stated birth date"}
	h.check = func(int, contract.EnrolmentCheckInput) (contract.EnrolmentCheck, error) {
		return contract.EnrolmentCheck{Problems: []string{"age 16 at the start date is below the minimum 17"}, Warnings: []string{"phone missing"}}, nil
	}
	waiting := h.stateAt(t0.Add(time.Hour))
	agreementsBefore := -1
	h.at(t0.Add(time.Hour), func() { agreementsBefore = h.count("FindAgreement") })
	approve := h.updateAt(t0.Add(2*time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: true})
	h.standardAfterInsurance()
	s := h.run()

	require.Equal(t, vocab.StageEnrolment, waiting.Stage)
	require.Equal(t, vocab.WaitingCentreAdmin, waiting.WaitingOn)
	require.Equal(t, []string{"age 16 at the start date is below the minimum 17"}, waiting.Enrolment.Problems)
	require.Equal(t, []string{"NIK birth date differs from the stated birth date", "phone missing"}, waiting.Enrolment.Warnings)
	require.Zero(t, agreementsBefore, "nothing past enrolment may run before the approval")

	approve.requireAccepted(t)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	require.Equal(t, admin, s.Enrolment.Decision.Actor)
	require.Equal(t, t0.Add(2*time.Hour), s.Enrolment.Decision.At)
	checked := h.eventsOf("enrolment-checked")
	require.Len(t, checked, 1)
	require.Contains(t, checked[0].Detail, "below the minimum 17")
	require.Equal(t, &contract.EventEvidence{Warnings: []string{"NIK birth date differs from the stated birth date", "phone missing"}},
		checked[0].Evidence, "the warnings go to the read model with the check, for the inbox")
	approved := h.eventsOf("enrolment-approved")
	require.Len(t, approved, 1)
	require.Equal(t, admin.ID, approved[0].ActorID)
	require.Equal(t, admin.Role, approved[0].ActorRole)
	require.Equal(t, vocab.StageEnrolment, approved[0].Stage)
	require.Equal(t, t0.Add(2*time.Hour), h.eventsOf("stage")[0].At, "insurance starts at the approval")
	h.requireReadModelConsistent()
}

func TestEnrolmentNotAutoApprovedWhenPackageSaysSo(t *testing.T) {
	h := newHarness(t)
	h.in.AutoApprove = false
	waiting := h.stateAt(t0.Add(10 * time.Hour))
	approve := h.updateAt(t0.Add(11*time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: wf.Actor{ID: "coord-1", Role: vocab.RoleCoordinator}, Approve: true})
	h.standardAfterInsurance()
	s := h.run()

	require.Equal(t, vocab.StageEnrolment, waiting.Stage)
	require.Empty(t, waiting.Enrolment.Problems)
	require.Nil(t, waiting.Enrolment.Decision)
	approve.requireAccepted(t)
	require.Equal(t, "enrolment approved: seat 1 of 16", approve.result.Message)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	require.Equal(t, vocab.RoleCoordinator, s.Enrolment.Decision.Actor.Role)
}

func TestEnrolmentRejectedWithReason(t *testing.T) {
	h := newHarness(t)
	h.in.AutoApprove = false
	reject := h.updateAt(t0.Add(time.Hour), wf.UpdateDecideEnrolment,
		wf.EnrolmentDecision{Actor: admin, Approve: false, Reason: "already enrolled at BLK Pasuruan"})
	s := h.run()

	reject.requireAccepted(t)
	require.Equal(t, vocab.StageClosed, s.Stage)
	require.Equal(t, vocab.OutcomeRejected, s.Outcome)
	require.Equal(t, "already enrolled at BLK Pasuruan", s.OutcomeReason)
	require.False(t, s.Enrolment.Decision.Approve)
	require.Zero(t, h.count("FindAgreement"))
	require.Zero(t, h.count("RegisterInsurance"))
	rej := h.eventsOf("enrolment-rejected")
	require.Len(t, rej, 1)
	require.Equal(t, admin.ID, rej[0].ActorID)
	require.Contains(t, rej[0].Detail, "already enrolled at BLK Pasuruan")
	require.Empty(t, h.stages(), "a rejected case never leaves enrolment")
	row := h.lastRow()
	require.Equal(t, "closed", row.Status)
	require.Equal(t, vocab.OutcomeRejected, row.Outcome)
	h.requireReadModelConsistent()
}

func TestEnrolmentDecisionValidation(t *testing.T) {
	h := newHarness(t)
	h.in.AutoApprove = false
	h.checkDelay = 10 * time.Second
	at := t0.Add(time.Hour)
	tooEarly := h.updateAt(t0.Add(5*time.Second), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: true})
	before := h.stateAt(at.Add(-time.Minute))
	var writesBefore, writesAfter int
	h.at(at.Add(-time.Second), func() { writesBefore = h.syncCount() })
	wrongRole := h.updateAt(at, wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: assessor, Approve: true})
	noActor := h.updateAt(at, wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: wf.Actor{Role: vocab.RoleCentreAdmin}, Approve: true})
	noReason := h.updateAt(at, wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: false, Reason: "  "})
	wrongStage := h.updateAt(at, wf.UpdateRecordAttendance, wf.Attendance{Actor: admin, Attended: intp(3)})
	after := h.stateAt(at.Add(time.Minute))
	h.at(at.Add(time.Minute), func() { writesAfter = h.syncCount() })
	// Two decisions in the same instant: the first wins, the second is refused.
	var first, second *updateOutcome
	h.at(at.Add(time.Hour), func() {
		first = h.update(wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: false, Reason: "incomplete documents"})
		second = h.update(wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: true})
	})
	s := h.run()

	tooEarly.requireRejected(t, "checks are still running")
	wrongRole.requireRejected(t, `role "assessor" may not do this`)
	noActor.requireRejected(t, "actor id is required")
	noReason.requireRejected(t, "a rejection needs a reason")
	wrongStage.requireRejected(t, "cannot record attendance")
	require.Equal(t, before.Version, after.Version, "refused updates must not change the case")
	require.Equal(t, writesBefore, writesAfter, "refused updates must not write the read model")
	require.Nil(t, after.Enrolment.Decision)
	first.requireAccepted(t)
	// The second is refused: as already decided, or, when the rejection has already closed the
	// case in the same workflow task, as outside the enrolment stage.
	second.requireRejected(t, "enrolment")
	require.Regexp(t, "already decided|stage closed", second.rejected.Error())
	require.Equal(t, vocab.OutcomeRejected, s.Outcome)
	require.Equal(t, "incomplete documents", s.OutcomeReason)
	require.Len(t, h.eventsOf("enrolment-rejected"), 1)
	require.Empty(t, h.eventsOf("enrolment-approved"))
}

func TestEnrolmentDecisionRefusedOutsideEnrolment(t *testing.T) {
	h := newHarness(t) // auto-approved at t0
	late := h.updateAt(t0.Add(time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: false, Reason: "changed my mind"})
	h.updateAt(t0.Add(2*time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
	s := h.run()
	late.requireRejected(t, "cannot decide enrolment")
	require.Contains(t, late.rejected.Error(), "stage training")
	require.True(t, s.Enrolment.Decision.Approve)
	require.Equal(t, vocab.OutcomeWithdrawn, s.Outcome)
}

func TestEnrolmentApprovalSLAMarksStuckThenApprovalClears(t *testing.T) {
	h := newHarness(t)
	h.in.AutoApprove = false
	beforeSLA := h.stateAt(t0.Add(47 * time.Hour))
	stuck := h.stateAt(t0.Add(49 * time.Hour))
	h.updateAt(t0.Add(60*time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: true})
	cleared := h.stateAt(t0.Add(61 * time.Hour))
	h.standardAfterInsurance()
	s := h.run()

	require.False(t, beforeSLA.Stuck)
	require.True(t, stuck.Stuck)
	require.Equal(t, vocab.StuckApprovalOverdue, stuck.StuckCode)
	require.Contains(t, stuck.StuckReason, "enrolment approval pending for more than 48h")
	require.NotNil(t, stuck.StuckSince)
	require.Equal(t, t0.Add(48*time.Hour), *stuck.StuckSince)
	require.Equal(t, vocab.WaitingCentreAdmin, stuck.WaitingOn)
	require.Equal(t, vocab.StageEnrolment, stuck.Stage)

	require.False(t, cleared.Stuck)
	require.Empty(t, cleared.StuckCode)
	require.Nil(t, cleared.StuckSince)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)

	st := h.eventsOf("stuck")
	require.Len(t, st, 1)
	require.Equal(t, t0.Add(48*time.Hour), st[0].At)
	require.Equal(t, vocab.StageEnrolment, st[0].Stage)
	un := h.eventsOf("unstuck")
	require.Len(t, un, 1)
	require.Equal(t, t0.Add(60*time.Hour), un[0].At)
	requireOrder(t, h.kinds(), "enrolment-checked", "stuck", "enrolment-approved", "unstuck", "stage")
	rows := h.rowsWithStuck("approval-overdue")
	require.NotEmpty(t, rows)
	require.Equal(t, vocab.WaitingCentreAdmin, rows[0].WaitingOn)
	require.False(t, h.lastRow().Stuck)
	h.requireReadModelConsistent()
}

func TestWithdrawWhileAwaitingApproval(t *testing.T) {
	h := newHarness(t)
	h.in.AutoApprove = false
	u := h.updateAt(t0.Add(3*time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: wf.Actor{ID: "op-1", Role: vocab.RoleOperator}, Reason: "duplicate registration"})
	s := h.run()
	u.requireAccepted(t)
	require.Equal(t, vocab.OutcomeWithdrawn, s.Outcome)
	require.Nil(t, s.Enrolment.Decision)
	require.Zero(t, h.count("EndCoverage"), "nothing was insured")
	require.Zero(t, h.count("RegisterInsurance"))
}

// A check and an import since the codes: the journey keeps the rules and warnings as messages
// beside their English, in its state and in the read model's evidence, so every reader words
// them in their language.
func TestEnrolmentKeepsCodedRulesAndWarnings(t *testing.T) {
	h := newHarness(t)
	phone := i18n.Message{Code: "warning.phone"} // no parameters: as it reads back from a history
	h.in.ImportWarnings, h.in.ImportWarningNotes = []string{phone.English()}, []i18n.Message{phone}
	h.check = func(int, contract.EnrolmentCheckInput) (contract.EnrolmentCheck, error) {
		var c contract.EnrolmentCheck
		c.Problem("rule.age-below", "age", "16", "min", "17")
		return c, nil
	}
	waiting := h.stateAt(t0.Add(time.Hour))
	h.updateAt(t0.Add(2*time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: true})
	h.standardAfterInsurance()
	h.run()

	rule := i18n.M("rule.age-below", "age", "16", "min", "17")
	require.Equal(t, []string{"age 16 at the start date is below the minimum 17"}, waiting.Enrolment.Problems, "the English stays")
	require.Equal(t, []i18n.Message{rule}, waiting.Enrolment.ProblemNotes)
	require.Equal(t, []i18n.Message{phone}, waiting.Enrolment.WarningNotes)
	checked := h.eventsOf("enrolment-checked")
	require.Len(t, checked, 1)
	require.Contains(t, checked[0].Detail, "rules not met: age 16 at the start date is below the minimum 17")
	require.Equal(t, &contract.EventEvidence{Warnings: []string{phone.English()}, WarningNotes: []i18n.Message{phone}, Rules: []i18n.Message{rule}},
		checked[0].Evidence)
}
