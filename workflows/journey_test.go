package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

func TestHappyPathPlacedFormal(t *testing.T) {
	h := newHarness(t)
	att := h.attendance(trainStart.Add(day), 19)
	result := h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment,
		wf.AssessmentResult{Actor: assessor, AssessmentID: "AS-1", AssessorID: "asr-007", Units: allK(units...)})
	cert := h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	place := h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())

	training := h.stateAt(trainStart.Add(2 * day))
	waitingResult := h.stateAt(assessDate(1).Add(time.Hour))
	certifying := h.stateAt(assessDate(1).Add(3 * time.Hour))
	placing := h.stateAt(trainEnd.Add(39 * day))

	s := h.run()

	// Every human step was accepted and answered with the stage it left the case in.
	for _, u := range []*updateOutcome{att, result, cert, place} {
		u.requireAccepted(t)
		require.Equal(t, caseID, u.result.CaseID)
	}
	require.Equal(t, vocab.StageTraining, att.result.Stage)
	require.Contains(t, att.result.Message, "95%")
	// The answer's stage is wherever the case is when the handler returns: the main loop may
	// already have moved on while the handler wrote its event, so only messages are checked.
	require.Contains(t, result.result.Message, "3 K, 0 BK (assessor asr-007)")
	require.Contains(t, cert.result.Message, "certification approved")
	require.Contains(t, place.result.Message, "placement recorded")

	// The state query followed the case.
	require.Equal(t, vocab.StageTraining, training.Stage)
	require.Equal(t, kpj, training.Insurance.KPJ)
	require.Equal(t, vocab.StageAssessment, waitingResult.Stage)
	require.Equal(t, vocab.WaitingLSP, waitingResult.WaitingOn)
	require.NotNil(t, waitingResult.Assessment.Schedule)
	require.Equal(t, "AS-1", waitingResult.Assessment.Schedule.AssessmentID)
	require.Equal(t, vocab.StageCertification, certifying.Stage)
	require.Equal(t, vocab.WaitingLSPManager, certifying.WaitingOn)
	require.Equal(t, vocab.StagePlacement, placing.Stage)
	require.Equal(t, vocab.WaitingCentreAdmin, placing.WaitingOn)
	require.Equal(t, 1, placing.Placement.FollowUpsDone)
	require.NotNil(t, placing.Placement.NextFollowUp)
	// Follow-ups count from the certificate, which came after graduation.
	require.Equal(t, assessDate(1).Add(day).Add(3*month), *placing.Placement.NextFollowUp)

	// The final state.
	require.Equal(t, vocab.StageClosed, s.Stage)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	require.False(t, s.Stuck)
	require.Empty(t, s.WaitingOn)
	require.NotNil(t, s.Enrolment.Decision)
	require.True(t, s.Enrolment.Decision.Approve)
	require.Equal(t, vocab.RoleSystem, s.Enrolment.Decision.Actor.Role)
	require.Equal(t, "MOU-BPJSTK", s.Insurance.Agreement)
	require.Equal(t, trainStart, s.Insurance.CoverageStart)
	require.Equal(t, trainEnd.AddDate(0, 0, 7), s.Insurance.CoverageEnd)
	require.False(t, s.Insurance.LateForStart)
	require.True(t, s.Training.Graduated)
	require.InDelta(t, 0.95, s.Training.Rate, 1e-9)
	require.Equal(t, "MOU-LSP-LOGAM", s.Assessment.Agreement)
	require.Equal(t, 1, s.Assessment.Attempt)
	require.NotNil(t, s.Assessment.Competent)
	require.True(t, *s.Assessment.Competent)
	require.Len(t, s.Assessment.Results, 1)
	require.Equal(t, assessor, s.Assessment.Results[0].RecordedBy)
	require.NotNil(t, s.Certification.Certificate)
	c := s.Certification.Certificate
	require.Equal(t, "CERT-0001", c.Number)
	require.Equal(t, assessDate(1).Add(day), c.IssueDate)
	require.Equal(t, c.IssueDate.AddDate(3, 0, 0), c.ExpiryDate)
	require.Equal(t, trainEnd, s.Placement.GraduatedOn)
	require.Equal(t, c.IssueDate, s.Placement.FollowUpFrom)
	require.Equal(t, 1, s.Placement.FollowUpsDone)
	require.Nil(t, s.Placement.NextFollowUp)
	require.NotNil(t, s.Placement.Report)
	require.Equal(t, "PT Maspion", s.Placement.Report.Employer)

	// The activities were called once each, with the case's keys and no personal data.
	require.Equal(t, 1, h.count("CheckEnrolment"))
	ci := inputs[contract.EnrolmentCheckInput](h, "CheckEnrolment")[0]
	require.Equal(t, contract.EnrolmentCheckInput{CaseID: caseID, NIKHash: h.in.NIKHash, PackageCode: h.in.PackageCode,
		Start: trainStart, End: trainEnd, Capacity: 16, MinAge: 17, MaxAge: 45, NoSeat: true}, ci)
	require.Equal(t, []contract.SeatInput{{CaseID: caseID, PackageCode: h.in.PackageCode}}, inputs[contract.SeatInput](h, "TakeSeat"),
		"the automatic approval takes the seat")
	agreements := inputs[contract.AgreementQuery](h, "FindAgreement")
	require.Len(t, agreements, 2)
	require.Equal(t, "BPJSTK", agreements[0].PartnerCode)
	require.Empty(t, agreements[0].Scheme)
	require.Equal(t, "LSP-LOGAM", agreements[1].PartnerCode)
	require.Equal(t, "SKM-LAS-SMAW", agreements[1].Scheme)
	require.Equal(t, "BLK-SDA", agreements[1].CentreCode)
	regs := inputs[contract.InsuranceInput](h, "RegisterInsurance")
	require.Len(t, regs, 1)
	require.Equal(t, caseID+"-bpjs-0", regs[0].IdempotencyKey)
	require.Equal(t, trainStart, regs[0].CoverageStart)
	require.Equal(t, trainEnd.AddDate(0, 0, 7), regs[0].CoverageEnd)
	require.Equal(t, wf.WorkflowIDFor(h.in.PackageCode, h.in.NIKHash), regs[0].WorkflowID)
	reqs := inputs[contract.AssessmentInput](h, "RequestAssessment")
	require.Len(t, reqs, 1)
	require.Equal(t, caseID+"-assess-1", reqs[0].IdempotencyKey)
	require.Equal(t, units, reqs[0].Units, "the request names every unit of the scheme")
	require.Equal(t, trainEnd, reqs[0].NotBefore)
	require.Equal(t, []contract.SchemeQuery{{CaseID: caseID, Scheme: "SKM-LAS-SMAW"}}, inputs[contract.SchemeQuery](h, "LoadSchemeUnits"),
		"the scheme's units are read once")
	certs := inputs[contract.CertificateInput](h, "IssueCertificate")
	require.Len(t, certs, 1)
	require.Equal(t, "AS-1", certs[0].AssessmentID)
	require.Equal(t, caseID+"-cert", certs[0].IdempotencyKey)
	require.Zero(t, h.count("EndCoverage"))
	require.Zero(t, h.count("QueueBatchRegistration"))
	// The result came by update before the assessment date passed plus one poll: the
	// journey polled the LSP once, at the assessment date.
	require.Equal(t, []time.Time{assessDate(1)}, h.callTimes("FetchAssessmentResult"))

	// The read model saw every stage, in order, and the human steps with their actors.
	require.Equal(t, []string{"insurance", "training", "assessment", "certification", "placement"}, h.stages())
	kinds := h.kinds()
	requireOrder(t, kinds, "started", "enrolment-approved", "stage", "insured", "stage", "training-started",
		"attendance", "graduated", "stage", "assessment-scheduled", "assessment-result", "competent", "stage",
		"certification-approved", "certified", "stage", "follow-up", "placement-reported", "closed")
	require.Equal(t, 1, countKind(kinds, "follow-up"))
	require.Zero(t, countKind(kinds, "stuck"))
	for kind, actor := range map[string]wf.Actor{"attendance": admin, "assessment-result": assessor,
		"certification-approved": manager, "placement-reported": admin} {
		evs := h.eventsOf(kind)
		require.Len(t, evs, 1, kind)
		require.Equal(t, actor.ID, evs[0].ActorID, kind)
		require.Equal(t, actor.Role, evs[0].ActorRole, kind)
	}
	closed := h.eventsOf("closed")[0]
	require.Equal(t, vocab.StageClosed, closed.Stage)
	require.Equal(t, trainEnd.Add(40*day), closed.At)
	require.Contains(t, closed.Detail, "placed-formal")
	require.Equal(t, vocab.StageTraining, h.eventsOf("graduated")[0].Stage)
	require.Equal(t, trainEnd, h.eventsOf("graduated")[0].At)

	row := h.lastRow()
	require.Equal(t, "closed", row.Status)
	require.Equal(t, vocab.StageClosed, row.Stage)
	require.Equal(t, vocab.OutcomePlacedFormal, row.Outcome)
	require.Equal(t, kpj, row.KPJ)
	require.Equal(t, "CERT-0001", row.CertificateNo)
	require.False(t, row.Stuck)
	require.Empty(t, row.WaitingOn)
	h.requireReadModelConsistent()

	// History stays small: the test environment exposes no history length, so count what
	// makes history events (each local activity is one marker, each activity and timer a
	// few events). A year of follow-up must not add more than a handful of timers.
	h.mu.Lock()
	writes, timers, acts := len(h.syncs), h.timers, len(h.calls)
	h.mu.Unlock()
	require.Less(t, writes, 40, "read-model writes")
	require.Less(t, timers, 20, "timers")
	require.Less(t, writes+3*acts+2*timers+3*4, 200, "estimated history events")
}

func TestPlacementCategories(t *testing.T) {
	cases := []struct {
		category vocab.Placement
		employer string
		outcome  vocab.Outcome
	}{
		{vocab.PlacementFormal, "CV Sinar Las", vocab.OutcomePlacedFormal},
		{vocab.PlacementInformal, "", vocab.OutcomePlacedInformal},
		{vocab.PlacementSelfEmployed, "Bengkel Las Pak Slamet", vocab.OutcomeSelfEmployed},
		{vocab.PlacementContinuingStudy, "", vocab.OutcomeContinuingStudy},
	}
	for _, tc := range cases {
		t.Run(string(tc.category), func(t *testing.T) {
			h := newHarness(t)
			h.attendance(trainStart.Add(day), 20)
			h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment,
				wf.AssessmentResult{Actor: assessor, AssessorID: "asr-007", Units: allK(units...)})
			h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
			// Reported between the 6- and the 12-month follow-ups.
			u := h.updateAt(trainEnd.Add(200*day), wf.UpdateReportPlacement,
				wf.PlacementReport{Actor: admin, Category: tc.category, Employer: tc.employer, Start: trainEnd.Add(190 * day)})
			s := h.run()
			u.requireAccepted(t)
			require.Equal(t, tc.outcome, s.Outcome)
			require.Equal(t, 3, s.Placement.FollowUpsDone)
			require.Equal(t, 3, countKind(h.kinds(), "follow-up"))
			require.Equal(t, tc.outcome, h.lastRow().Outcome)
			require.Equal(t, trainEnd.Add(200*day), h.eventsOf("closed")[0].At)
		})
	}
}

func TestNoPlacementReportClosesNotPlacedAfterLastFollowUp(t *testing.T) {
	h := newHarness(t)
	h.attendance(trainStart.Add(day), 20)
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment,
		wf.AssessmentResult{Actor: assessor, AssessorID: "asr-007", Units: allK(units...)})
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	mid := h.stateAt(trainEnd.Add(7 * month))
	s := h.run()

	// The months count from the end of certification (the certificate came 4 days after
	// graduation), so no window was already over when the case reached follow-up.
	from := assessDate(1).Add(day)
	require.Equal(t, from, s.Placement.FollowUpFrom)
	require.Equal(t, vocab.OutcomeNotPlaced, s.Outcome)
	require.Equal(t, 4, s.Placement.FollowUpsDone)
	require.Nil(t, s.Placement.Report)
	require.Equal(t, 3, mid.Placement.FollowUpsDone)
	require.Equal(t, from.Add(12*month), *mid.Placement.NextFollowUp)

	fus := h.eventsOf("follow-up")
	require.Len(t, fus, 4)
	for i, m := range []int{1, 3, 6, 12} {
		require.Equal(t, from.Add(time.Duration(m)*month), fus[i].At)
		require.Contains(t, fus[i].Detail, "-month follow-up")
	}
	closed := h.eventsOf("closed")
	require.Len(t, closed, 1)
	require.Equal(t, from.Add(12*month), closed[0].At)
	require.Equal(t, vocab.OutcomeNotPlaced, h.lastRow().Outcome)
	h.requireReadModelConsistent()
}

// A certificate approved long after graduation (here after the 1- and 3-month follow-ups would
// have been due) leaves every follow-up window ahead: none is spent before the graduate could
// answer. Journeys of an earlier revision keep counting from graduation.
func TestLateCertificationKeepsEveryFollowUpWindow(t *testing.T) {
	for _, tc := range []struct {
		name     string
		revision int
		from     func(certified time.Time) time.Time
	}{
		{"current", wf.CurrentRevision, func(c time.Time) time.Time { return c }},
		{"lean (revision 1)", wf.RevisionLean, func(time.Time) time.Time { return trainEnd }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.in.Revision = tc.revision
			h.in.Settings.SLA.CertificationApproval = 200 * day
			h.attendance(trainStart.Add(day), 20)
			h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment,
				wf.AssessmentResult{Actor: assessor, AssessorID: "asr-007", Units: allK(units...)})
			certified := trainEnd.Add(100 * day)
			h.updateAt(certified, wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
			s := h.run()
			from := tc.from(certified)
			fus := h.eventsOf("follow-up")
			require.Len(t, fus, 4)
			for i, m := range []int{1, 3, 6, 12} {
				due := from.Add(time.Duration(m) * month)
				if due.Before(certified) {
					due = certified // already due: the old path ran them at once
				}
				require.Equal(t, due, fus[i].At, "follow-up %d", m)
			}
			require.Equal(t, vocab.OutcomeNotPlaced, s.Outcome)
		})
	}
}

func TestPlacementValidation(t *testing.T) {
	h := newHarness(t)
	h.attendance(trainStart.Add(day), 20)
	early := h.updateAt(trainStart.Add(2*day), wf.UpdateReportPlacement, formal())
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment,
		wf.AssessmentResult{Actor: assessor, AssessorID: "asr-007", Units: allK(units...)})
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	at := trainEnd.Add(20 * day)
	noEmployer := h.updateAt(at, wf.UpdateReportPlacement, wf.PlacementReport{Actor: admin, Category: vocab.PlacementFormal, Start: at})
	badCategory := h.updateAt(at, wf.UpdateReportPlacement, wf.PlacementReport{Actor: admin, Category: "migrant-worker", Start: at})
	noStart := h.updateAt(at, wf.UpdateReportPlacement, wf.PlacementReport{Actor: admin, Category: vocab.PlacementInformal})
	wrongRole := h.updateAt(at, wf.UpdateReportPlacement, wf.PlacementReport{Actor: assessor, Category: vocab.PlacementInformal, Start: at})
	before := h.stateAt(at.Add(-time.Minute))
	after := h.stateAt(at.Add(time.Minute))
	ok := h.updateAt(at.Add(time.Hour), wf.UpdateReportPlacement, wf.PlacementReport{Actor: admin, Category: vocab.PlacementInformal, Start: at})
	s := h.run()

	early.requireRejected(t, "cannot report a placement")
	noEmployer.requireRejected(t, "employer")
	badCategory.requireRejected(t, "category must be")
	noStart.requireRejected(t, "start date is required")
	wrongRole.requireRejected(t, `role "assessor" may not`)
	require.Equal(t, before.Version, after.Version, "a refused update must not change the case")
	ok.requireAccepted(t)
	require.Equal(t, vocab.OutcomePlacedInformal, s.Outcome)
	require.Len(t, h.eventsOf("placement-reported"), 1)
}

func TestWithdrawBeforeTrainingStart(t *testing.T) {
	h := newHarness(t)
	noReason := h.updateAt(t0.Add(day), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin})
	wrongRole := h.updateAt(t0.Add(day), wf.UpdateWithdraw, wf.Withdrawal{Actor: liaison, Reason: "moved"})
	u := h.updateAt(t0.Add(2*day), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "accepted a job offer"})
	s := h.run()

	noReason.requireRejected(t, "needs a reason")
	wrongRole.requireRejected(t, "may not")
	u.requireAccepted(t)
	require.Equal(t, vocab.OutcomeWithdrawn, s.Outcome)
	require.Equal(t, "accepted a job offer", s.OutcomeReason)
	require.NotNil(t, s.Withdrawal)
	require.Equal(t, admin, s.Withdrawal.Actor)
	// Coverage registered for the coming training ends on the withdrawal day.
	ends := inputs[contract.EndCoverageInput](h, "EndCoverage")
	require.Len(t, ends, 1)
	require.Equal(t, contract.EndCoverageInput{CaseID: caseID, KPJ: kpj, End: t0.Add(2 * day)}, ends[0])
	require.NotNil(t, s.Insurance.EndedEarly)
	require.Zero(t, h.count("RequestAssessment"))
	requireOrder(t, h.kinds(), "insured", "withdrawal", "coverage-ended", "closed")
	require.NotContains(t, h.kinds(), "training-started")
	w := h.eventsOf("withdrawal")[0]
	require.Equal(t, admin.ID, w.ActorID)
	require.Equal(t, vocab.OutcomeWithdrawn, h.lastRow().Outcome)
}

func TestWithdrawDuringTrainingDropsOut(t *testing.T) {
	h := newHarness(t)
	h.attendance(trainStart.Add(day), 3)
	when := trainStart.Add(5 * day)
	u := h.updateAt(when, wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "family moved to Surabaya"})
	again := h.updateAt(when, wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "again"})
	s := h.run()

	u.requireAccepted(t)
	again.requireRejected(t, "already being processed")
	require.Equal(t, vocab.OutcomeDroppedOut, s.Outcome)
	ends := inputs[contract.EndCoverageInput](h, "EndCoverage")
	require.Len(t, ends, 1)
	require.Equal(t, kpj, ends[0].KPJ)
	require.Equal(t, when, ends[0].End)
	require.Equal(t, when, *s.Insurance.EndedEarly)
	require.False(t, s.Training.Graduated)
	requireOrder(t, h.kinds(), "training-started", "attendance", "withdrawal", "coverage-ended", "closed")
	require.Equal(t, vocab.OutcomeDroppedOut, h.lastRow().Outcome)
	require.Equal(t, when, h.eventsOf("closed")[0].At)
}

func TestStateQueryFollowsStages(t *testing.T) {
	h := newHarness(t)
	h.in.AutoApprove = false
	enrol := h.stateAt(t0.Add(time.Hour))
	h.updateAt(t0.Add(2*time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: true})
	training := h.stateAt(t0.Add(3 * time.Hour))
	h.standardAfterInsurance()
	assessing := h.stateAt(trainEnd.Add(time.Hour))
	certifying := h.stateAt(assessDate(1).Add(3 * time.Hour))
	placing := h.stateAt(trainEnd.Add(10 * day))
	s := h.run()

	require.Equal(t, vocab.StageEnrolment, enrol.Stage)
	require.Equal(t, vocab.WaitingCentreAdmin, enrol.WaitingOn)
	require.True(t, enrol.Enrolment.Checked)
	require.Nil(t, enrol.Enrolment.Decision)
	require.Equal(t, caseID, enrol.CaseID)
	require.Equal(t, "BLK-SDA", enrol.CentreCode)
	require.Equal(t, vocab.StageTraining, training.Stage)
	require.Equal(t, t0.Add(2*time.Hour), training.StageEnteredAt)
	require.Equal(t, vocab.StageAssessment, assessing.Stage)
	require.Equal(t, trainEnd, assessing.StageEnteredAt)
	require.Equal(t, vocab.StageCertification, certifying.Stage)
	require.Equal(t, vocab.StagePlacement, placing.Stage)
	require.Equal(t, vocab.StageClosed, s.Stage)
	require.Less(t, enrol.Version, training.Version)
	require.Less(t, training.Version, assessing.Version)
}
