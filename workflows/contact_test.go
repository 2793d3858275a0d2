package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Follow-up contacts that find no placement (issue 16 point 4): "still looking" and "not
// reached" are recorded on the timeline and in the state by the centre admin, the case stays in
// follow-up waiting on the centre admin, and a placement report later still closes it. A
// contact before the placement stage, with an unknown outcome or by an assessor is refused.
func TestFollowUpContactsDoNotCloseTheCase(t *testing.T) {
	h := newHarness(t)
	h.attendance(trainStart.Add(day), 20)
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment,
		wf.AssessmentResult{Actor: assessor, AssessmentID: "AS-1", AssessorID: "asr-007", Units: allK(units...)})
	early := h.updateAt(assessDate(1).Add(3*time.Hour), wf.UpdateRecordFollowUp, wf.FollowUpContact{Actor: admin, Contact: vocab.ContactNotReached})
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	looking := h.updateAt(trainEnd.Add(20*day), wf.UpdateRecordFollowUp, wf.FollowUpContact{Actor: admin, Contact: vocab.ContactStillLooking, Note: "applied at PT Maspion"})
	unknown := h.updateAt(trainEnd.Add(21*day), wf.UpdateRecordFollowUp, wf.FollowUpContact{Actor: admin, Contact: "employed"})
	byAssessor := h.updateAt(trainEnd.Add(21*day), wf.UpdateRecordFollowUp, wf.FollowUpContact{Actor: assessor, Contact: vocab.ContactNotReached})
	notReached := h.updateAt(trainEnd.Add(30*day), wf.UpdateRecordFollowUp, wf.FollowUpContact{Actor: admin, Contact: vocab.ContactNotReached})
	after := h.stateAt(trainEnd.Add(31 * day))
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	early.requireRejected(t, "stage")
	looking.requireAccepted(t)
	require.Contains(t, looking.result.Message, "follow-up contact recorded: still-looking")
	unknown.requireRejected(t, "contact must be still-looking or not-reached")
	byAssessor.requireRejected(t, "role")
	notReached.requireAccepted(t)

	require.Equal(t, vocab.StagePlacement, after.Stage, "a contact does not close the case")
	require.Equal(t, vocab.WaitingCentreAdmin, after.WaitingOn)
	require.Equal(t, 2, after.Placement.Contacts)
	require.NotNil(t, after.Placement.LastContact)
	require.Equal(t, vocab.ContactNotReached, after.Placement.LastContact.Contact)
	require.Equal(t, admin.ID, after.Placement.LastContact.Actor.ID)

	contacts := h.eventsOf("follow-up-contact")
	require.Len(t, contacts, 2)
	require.Equal(t, "follow-up contact: still-looking (applied at PT Maspion)", contacts[0].Detail)
	require.Equal(t, admin.ID, contacts[0].ActorID)
	require.Equal(t, "follow-up contact: not-reached", contacts[1].Detail)
	require.Equal(t, vocab.StageClosed, s.Stage)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}
