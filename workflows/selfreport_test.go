package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

var graduateLink = wf.Actor{ID: "self-report-link-abcd1234", Role: vocab.RoleGraduate}

// toPlacement takes a journey to placement follow-up: full attendance, all K, certified.
func (h *harness) toPlacement() {
	h.attendance(trainStart.Add(day), 20)
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment,
		wf.AssessmentResult{Actor: assessor, AssessmentID: "AS-1", AssessorID: "asr-007", Units: allK(units...)})
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
}

// A graduate's own report through a follow-up link closes the case like a staff report, and the
// read model and the timeline say it was self-reported; each side may only report as itself.
func TestSelfReportedPlacementCloses(t *testing.T) {
	h := newHarness(t)
	h.toPlacement()
	at := trainEnd.Add(40 * day)
	self := formal()
	self.Actor, self.SelfReported = graduateLink, true
	notSelf := formal()
	notSelf.Actor = graduateLink // a graduate passing as staff
	staffAsSelf := formal()
	staffAsSelf.SelfReported = true // staff passing as the graduate
	refusedGraduate := h.updateAt(at.Add(-time.Hour), wf.UpdateReportPlacement, notSelf)
	refusedStaff := h.updateAt(at.Add(-time.Minute), wf.UpdateReportPlacement, staffAsSelf)
	place := h.updateAt(at, wf.UpdateReportPlacement, self)
	s := h.run()

	refusedGraduate.requireRejected(t, "may not")
	refusedStaff.requireRejected(t, "may not")
	place.requireAccepted(t)
	require.Contains(t, place.result.Message, "self-reported")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	require.True(t, s.Placement.Report.SelfReported)
	row := h.lastRow()
	require.Equal(t, vocab.OutcomePlacedFormal, row.Outcome)
	require.True(t, row.PlacementSelfReported)
	require.NotNil(t, row.CertificateIssuedOn)
	require.NotNil(t, row.CertificateExpiresOn)
	evs := h.eventsOf("placement-reported")
	require.Len(t, evs, 1)
	require.Equal(t, graduateLink.ID, evs[0].ActorID)
	require.Equal(t, vocab.RoleGraduate, evs[0].ActorRole)
	require.Contains(t, evs[0].Detail, "self-reported")
	require.Contains(t, h.eventsOf("closed")[0].Detail, "self-reported")
}

// "Still looking" through a link is a contact: the case stays in follow-up, and a staff report
// afterwards closes it as usual (not self-reported).
func TestSelfReportStillLookingIsAContact(t *testing.T) {
	h := newHarness(t)
	h.toPlacement()
	at := trainEnd.Add(40 * day)
	staffContact := h.updateAt(at.Add(-time.Hour), wf.UpdateSelfReportContact, wf.SelfReportContact{Actor: admin, Month: 1})
	contact := h.updateAt(at, wf.UpdateSelfReportContact, wf.SelfReportContact{Actor: graduateLink, Month: 1})
	after := h.stateAt(at.Add(time.Hour))
	place := h.updateAt(at.Add(2*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	staffContact.requireRejected(t, "may not")
	contact.requireAccepted(t)
	require.Equal(t, vocab.StagePlacement, after.Stage)
	require.Nil(t, after.Placement.Report)
	evs := h.eventsOf("follow-up-contact")
	require.Len(t, evs, 1)
	require.Equal(t, vocab.RoleGraduate, evs[0].ActorRole)
	require.Contains(t, evs[0].Detail, "still looking")
	place.requireAccepted(t)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	require.False(t, h.lastRow().PlacementSelfReported)
}
