package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// confirmWindow is the harness's journey.selfreport_confirm.
const confirmWindow = 14 * day

// newConfirmHarness is a journey with a confirmation window for self-reports, taken to
// placement follow-up.
func newConfirmHarness(t *testing.T) *harness {
	h := newHarness(t)
	h.in.Settings.SelfReportConfirm = confirmWindow
	h.toPlacement()
	return h
}

// selfReport is the graduate's own report through a link.
func selfReport(c vocab.Placement) wf.PlacementReport {
	r := formal()
	r.Actor, r.SelfReported, r.Category = graduateLink, true, c
	if c != vocab.PlacementFormal {
		r.Employer = ""
	}
	return r
}

// A self-report waits for staff in placement follow-up, on the centre admin; a confirmation
// closes the case as reported by the graduate, with the confirmer on the timeline. Wrong roles,
// a confirmation before any self-report, and a second confirmation are refused, in Indonesian
// first.
func TestConfirmSelfReportedPlacement(t *testing.T) {
	h := newConfirmHarness(t)
	at := trainEnd.Add(40 * day)
	early := h.updateAt(at.Add(-time.Hour), wf.UpdateConfirmPlacement, wf.PlacementConfirmation{Actor: admin})
	place := h.updateAt(at, wf.UpdateReportPlacement, selfReport(vocab.PlacementFormal))
	waiting := h.stateAt(at.Add(3 * day))
	byGraduate := h.updateAt(at.Add(3*day+time.Minute), wf.UpdateConfirmPlacement, wf.PlacementConfirmation{Actor: graduateLink})
	byManager := h.updateAt(at.Add(3*day+2*time.Minute), wf.UpdateConfirmPlacement, wf.PlacementConfirmation{Actor: manager})
	again := h.updateAt(at.Add(3*day+3*time.Minute), wf.UpdateReportPlacement, selfReport(vocab.PlacementInformal))
	contact := h.updateAt(at.Add(3*day+4*time.Minute), wf.UpdateRecordFollowUp, wf.FollowUpContact{Actor: admin, Contact: vocab.ContactNotReached})
	confirm := h.updateAt(at.Add(4*day), wf.UpdateConfirmPlacement, wf.PlacementConfirmation{Actor: admin, Note: "called the employer"})
	s := h.run()

	early.requireRejected(t, "tidak menunggu konfirmasi penempatan")
	require.Contains(t, early.rejected.Error(), "is not waiting for a placement confirmation")
	place.requireAccepted(t)
	require.Contains(t, place.result.Message, "waits for staff to confirm or correct it until")
	require.Equal(t, vocab.StagePlacement, waiting.Stage)
	require.Equal(t, vocab.WaitingCentreAdmin, waiting.WaitingOn)
	require.True(t, waiting.Placement.AwaitingConfirmation())
	require.Equal(t, at.Add(confirmWindow), waiting.Placement.Confirmation.Until)
	require.Empty(t, waiting.Outcome)
	byGraduate.requireRejected(t, "tidak boleh mengonfirmasi")
	byManager.requireRejected(t, "may not confirm a placement")
	again.requireRejected(t, "already reported")
	contact.requireRejected(t, "already reported")
	confirm.requireAccepted(t)
	require.Contains(t, confirm.result.Message, "confirmed")

	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	require.True(t, s.Placement.Report.SelfReported)
	require.Equal(t, wf.ConfirmConfirmed, s.Placement.Confirmation.Status)
	require.Equal(t, admin.ID, s.Placement.Confirmation.Actor.ID)
	require.True(t, h.lastRow().PlacementSelfReported)
	evs := h.eventsOf("placement-confirmed")
	require.Len(t, evs, 1)
	require.Equal(t, admin.ID, evs[0].ActorID)
	require.Equal(t, vocab.RoleCentreAdmin, evs[0].ActorRole)
	require.Contains(t, evs[0].Detail, "called the employer")
	closed := h.eventsOf("closed")
	require.Len(t, closed, 1)
	require.Contains(t, closed[0].Detail, "confirmed by staff")
	require.Equal(t, at.Add(4*day), closed[0].At, "the case closes at the confirmation, not at the window's end")
}

// Staff correct a self-report by reporting the right placement: it replaces the self-report,
// the case closes with staff's report (not self-reported), and the timeline keeps both.
func TestCorrectSelfReportedPlacement(t *testing.T) {
	h := newConfirmHarness(t)
	at := trainEnd.Add(40 * day)
	place := h.updateAt(at, wf.UpdateReportPlacement, selfReport(vocab.PlacementInformal))
	bad := formal()
	bad.Actor, bad.Employer = coordinator, "" // formal without an employer
	refused := h.updateAt(at.Add(day), wf.UpdateReportPlacement, bad)
	right := formal()
	right.Actor = coordinator
	correct := h.updateAt(at.Add(2*day), wf.UpdateReportPlacement, right)
	s := h.run()

	place.requireAccepted(t)
	refused.requireRejected(t, "employer")
	correct.requireAccepted(t)
	require.Contains(t, correct.result.Message, "replaces the self-report")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	require.False(t, s.Placement.Report.SelfReported)
	require.Equal(t, "PT Maspion", s.Placement.Report.Employer)
	c := s.Placement.Confirmation
	require.Equal(t, wf.ConfirmCorrected, c.Status)
	require.Equal(t, coordinator.ID, c.Actor.ID)
	require.Equal(t, vocab.PlacementInformal, c.SelfReport.Category)
	require.True(t, c.SelfReport.SelfReported)
	row := h.lastRow()
	require.False(t, row.PlacementSelfReported, "the tracer study counts the staff's report")
	require.Equal(t, vocab.PlacementFormal, row.PlacementCategory)
	reported := h.eventsOf("placement-reported")
	require.Len(t, reported, 1)
	require.Equal(t, vocab.RoleGraduate, reported[0].ActorRole)
	corrected := h.eventsOf("placement-corrected")
	require.Len(t, corrected, 1)
	require.Equal(t, coordinator.ID, corrected[0].ActorID)
	require.Contains(t, corrected[0].Detail, "replaces the graduate's self-report: informal")
	require.Contains(t, h.eventsOf("closed")[0].Detail, "corrected by staff")
}

// With no staff action in the window the case closes as self-reported, unconfirmed, at the
// window's end; the follow-ups stop with the self-report.
func TestSelfReportWindowLapses(t *testing.T) {
	h := newConfirmHarness(t)
	at := trainEnd.Add(40 * day)
	place := h.updateAt(at, wf.UpdateReportPlacement, selfReport(vocab.PlacementSelfEmployed))
	s := h.run()

	place.requireAccepted(t)
	require.Equal(t, vocab.OutcomeSelfEmployed, s.Outcome)
	require.True(t, s.Placement.Report.SelfReported)
	require.Equal(t, wf.ConfirmLapsed, s.Placement.Confirmation.Status)
	require.Nil(t, s.Placement.Confirmation.Actor)
	lapsed := h.eventsOf("self-report-unconfirmed")
	require.Len(t, lapsed, 1)
	require.Equal(t, at.Add(confirmWindow), lapsed[0].At)
	closed := h.eventsOf("closed")
	require.Len(t, closed, 1)
	require.Equal(t, at.Add(confirmWindow), closed[0].At)
	require.Contains(t, closed[0].Detail, "self-reported by the graduate, unconfirmed")
	require.Empty(t, h.eventsOf("placement-confirmed"))
	require.True(t, h.lastRow().PlacementSelfReported)
}

// A staff report never waits for a confirmation; a quiet journey started before the window was
// configurable (no window in its settings) waits the default; confirming in the wrong stage is
// refused.
func TestNoConfirmationWithoutASelfReportOrAWindow(t *testing.T) {
	t.Run("staff report", func(t *testing.T) {
		h := newConfirmHarness(t)
		at := trainEnd.Add(40 * day)
		place := h.updateAt(at, wf.UpdateReportPlacement, formal())
		confirm := h.updateAt(at.Add(-time.Minute), wf.UpdateConfirmPlacement, wf.PlacementConfirmation{Actor: admin})
		s := h.run()
		place.requireAccepted(t)
		confirm.requireRejected(t, "tidak ada penempatan yang dilaporkan sendiri")
		require.Nil(t, s.Placement.Confirmation)
		require.Equal(t, at, h.eventsOf("closed")[0].At)
	})
	t.Run("started before the window", func(t *testing.T) {
		h := newHarness(t)
		h.in.Settings.SelfReportConfirm = 0
		h.toPlacement()
		at := trainEnd.Add(40 * day)
		place := h.updateAt(at, wf.UpdateReportPlacement, selfReport(vocab.PlacementFormal))
		s := h.run()
		place.requireAccepted(t)
		require.Equal(t, wf.ConfirmLapsed, s.Placement.Confirmation.Status)
		require.Equal(t, at.Add(wf.DefaultSelfReportConfirm), h.eventsOf("closed")[0].At)
	})
	t.Run("wrong stage", func(t *testing.T) {
		h := newHarness(t)
		h.in.Settings.SelfReportConfirm = confirmWindow
		confirm := h.updateAt(trainStart.Add(2*day), wf.UpdateConfirmPlacement, wf.PlacementConfirmation{Actor: admin})
		h.at(trainStart.Add(3*day), func() {
			h.update(wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "moved away"})
		})
		h.run()
		confirm.requireRejected(t, "tahap training")
	})
}
