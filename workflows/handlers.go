package workflows

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
)

// setup registers the query, the updates and the signals.
func (j *journey) setup(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (CaseState, error) { return j.state, nil }); err != nil {
		return fmt.Errorf("register query: %w", err)
	}
	// Validators are wrapped (coded) so that a refusal reaches the caller with its message code.
	updates := []struct {
		name      string
		handler   any
		validator any
	}{
		{UpdateDecideEnrolment, j.onEnrolment, coded(j.validateEnrolment)},
		{UpdateCorrectParticipant, j.onCorrection, coded(j.validateCorrection)},
		{UpdateRecordAttendance, j.onAttendance, coded(j.validateAttendance)},
		{UpdateWithdraw, j.onWithdrawal, coded(j.validateWithdrawal)},
		{UpdateRecordAssessment, j.onAssessment, coded(j.validateAssessment)},
		{UpdateDecideCertification, j.onCertification, coded(j.validateCertification)},
		{UpdateReportPlacement, j.onPlacement, coded(j.validatePlacement)},
		{UpdateRecordFollowUp, j.onFollowUpContact, coded(j.validateFollowUpContact)}, // step_contact.go
		{UpdateSelfReportContact, j.onSelfReportContact, coded(j.validateSelfReportContact)},
		{UpdateConfirmPlacement, j.onConfirmPlacement, coded(j.validateConfirmPlacement)}, // step_confirm.go
		{UpdateRetryRefused, j.onWayOut(UpdateRetryRefused), coded(j.validateRetryRefused)},
		{UpdateOrderReassessment, j.onWayOut(UpdateOrderReassessment), coded(j.validateOrderReassessment)},
		{UpdateCloseUncertified, j.onWayOut(UpdateCloseUncertified), coded(j.validateCloseUncertified)},
		{UpdateResolveNumberConflict, j.onResolution, coded(j.validateResolution)},
		{UpdatePackageChanged, j.onPackageChange, coded(j.validatePackageChange)}, // package_change.go
	}
	for _, u := range updates {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.name, u.handler, workflow.UpdateHandlerOptions{Validator: u.validator}); err != nil {
			return fmt.Errorf("register update %s: %w", u.name, err)
		}
	}
	// Partner files deliver results as signals: the same checks apply, and a refusal is
	// written to the case event log because nobody is waiting for an answer.
	workflow.Go(ctx, func(ctx workflow.Context) {
		results := workflow.GetSignalChannel(ctx, SignalAssessmentResult)
		kpjs := workflow.GetSignalChannel(ctx, SignalKPJDelivered)
		nudges := workflow.GetSignalChannel(ctx, SignalAgreementChanged)
		seats := workflow.GetSignalChannel(ctx, SignalSeatGranted)
		for {
			sel := workflow.NewSelector(ctx)
			sel.AddReceive(results, func(c workflow.ReceiveChannel, _ bool) {
				var r AssessmentResult
				c.Receive(ctx, &r)
				if err := j.validateAssessment(r); err != nil {
					j.refuse(ctx, SignalAssessmentResult, r.Actor, err)
					return
				}
				_, _ = j.onAssessment(ctx, r)
			})
			sel.AddReceive(kpjs, func(c workflow.ReceiveChannel, _ bool) {
				var k KPJDelivery
				c.Receive(ctx, &k)
				if err := j.validateKPJ(k); err != nil {
					j.refuse(ctx, SignalKPJDelivered, k.Actor, err)
					return
				}
				j.kpj = strings.TrimSpace(k.KPJ)
				j.commit(ctx, evBy("kpj-delivered", "KPJ received from the batch exchange", k.Actor).say("event.kpj-delivered"))
			})
			// An agreement became active: only counted (no command), so a needless nudge
			// changes nothing; awaitAgreement checks again when it waits.
			sel.AddReceive(nudges, func(c workflow.ReceiveChannel, _ bool) {
				var n AgreementNotice
				c.Receive(ctx, &n)
				j.agreementNudges++
			})
			sel.AddReceive(seats, func(c workflow.ReceiveChannel, _ bool) {
				var g SeatGranted
				c.Receive(ctx, &g)
				j.onSeatGranted(ctx, g)
			})
			sel.Select(ctx)
		}
	})
	return nil
}

// refuse records a refused signal or polled result on the timeline. A coded refusal is recorded
// with its code and parameters ("why", "why.*": event.refused.coded words it whole in the
// reader's language); any other keeps its sentence. Only the event's words differ: the history's
// commands are the same either way (the read-model write's input is never compared on replay).
func (j *journey) refuse(ctx workflow.Context, what string, a Actor, err error) {
	spec := evBy("refused", what+" refused: "+err.Error(), a).say("event.refused", "what", what, "message", err.Error())
	var c *codedRefusal
	if errors.As(err, &c) {
		spec.words = refusedWords(what, c.RefusalDetails)
	}
	j.commit(ctx, spec)
}

// refusedWords is a refusal's event words: what was refused, and the refusal as a message in the
// message ("{why|msg}").
func refusedWords(what string, d RefusalDetails) words {
	params := map[string]string{"what": what, "why": d.Code}
	// Copied under a prefix; the order the map is read in never shows in the result.
	//workflowcheck:ignore
	for k, v := range d.Params {
		params["why."+k] = v
	}
	return words{code: "event.refused.coded", params: params}
}

func (j *journey) ok(msg string) UpdateResult {
	return UpdateResult{CaseID: j.in.CaseID, Stage: j.state.Stage, Message: msg}
}

func (j *journey) onEnrolment(ctx workflow.Context, d EnrolmentDecision) (UpdateResult, error) {
	if j.seats && d.Approve {
		return j.decideWithSeat(ctx, d)
	}
	j.state.Enrolment.Decision = &Decided{Actor: d.Actor, At: workflow.Now(ctx), Approve: d.Approve, Reason: d.Reason}
	if d.Approve {
		j.commit(ctx, evBy("enrolment-approved", "enrolment approved", d.Actor).say("event.enrolment-approved"))
		return j.ok("enrolment approved"), nil
	}
	j.commit(ctx, evBy("enrolment-rejected", "enrolment rejected: "+d.Reason, d.Actor).say("event.enrolment-rejected", "reason", d.Reason))
	return j.ok("enrolment rejected"), nil
}

func (j *journey) onCorrection(ctx workflow.Context, c Correction) (UpdateResult, error) {
	j.corrected = true
	detail := "participant data corrected"
	if c.Note != "" {
		detail += ": " + c.Note
	}
	j.commit(ctx, evBy("corrected", detail, c.Actor).say("event.corrected", "note", c.Note))
	return j.ok("correction accepted; registration will be retried"), nil
}

func (j *journey) onAttendance(ctx workflow.Context, a Attendance) (UpdateResult, error) {
	t := &j.state.Training
	if a.Attended != nil {
		v := *a.Attended
		t.Attended, t.Absent = &v, nil
	} else {
		v := *a.Absent
		t.Absent, t.Attended = &v, nil
	}
	t.Rate = attendanceRate(*t, j.in.Settings.AttendanceMode)
	msg := fmt.Sprintf("attendance now %.0f%% of %d days", t.Rate*100, t.Days)
	j.commit(ctx, evBy("attendance", msg, a.Actor).say("event.attendance", "rate", fmt.Sprintf("%.0f", t.Rate*100), "days", strconv.Itoa(t.Days)))
	return j.ok(msg), nil
}

func (j *journey) onWithdrawal(ctx workflow.Context, w Withdrawal) (UpdateResult, error) {
	j.withdrawal = &w
	j.state.Withdrawal = &Decided{Actor: w.Actor, At: workflow.Now(ctx), Reason: w.Reason}
	j.commit(ctx, evBy("withdrawal", "withdrawal requested: "+w.Reason, w.Actor).say("event.withdrawal", "reason", w.Reason))
	return j.ok("withdrawal accepted; the case will close"), nil
}

func (j *journey) onAssessment(ctx workflow.Context, r AssessmentResult) (UpdateResult, error) {
	j.result = &r
	k, bk := 0, 0
	for _, u := range r.Units {
		if u.Result == "K" {
			k++
		} else {
			bk++
		}
	}
	msg := fmt.Sprintf("assessment result recorded: %d K, %d BK (assessor %s)", k, bk, r.AssessorID)
	spec := evBy("assessment-result", msg, r.Actor).say("event.assessment-result", "k", strconv.Itoa(k), "bk", strconv.Itoa(bk), "assessor", r.AssessorID)
	if j.recordsEvidence(ctx) {
		spec.evidence = &contract.EventEvidence{Assessor: r.AssessorID}
		for _, u := range r.Units {
			spec.evidence.Units = append(spec.evidence.Units, contract.UnitResult{Unit: u.Unit, Result: u.Result})
		}
	}
	j.commit(ctx, spec)
	return j.ok(msg), nil
}

func (j *journey) onCertification(ctx workflow.Context, d CertificationDecision) (UpdateResult, error) {
	j.certDecision = &d
	j.state.Certification.Decision = &Decided{Actor: d.Actor, At: workflow.Now(ctx), Approve: d.Approve, Reason: d.Reason}
	if d.Approve {
		j.commit(ctx, evBy("certification-approved", "certificate issuance approved", d.Actor).say("event.certification-approved"))
		return j.ok("certification approved; the certificate will be issued"), nil
	}
	j.commit(ctx, evBy("certification-rejected", "certification rejected: "+d.Reason, d.Actor).say("event.certification-rejected", "reason", d.Reason))
	return j.ok("certification rejected"), nil
}

func (j *journey) onPlacement(ctx workflow.Context, p PlacementReport) (UpdateResult, error) {
	if j.state.Placement.AwaitingConfirmation() {
		return j.onPlacementCorrection(ctx, p) // staff's report (validatePlacement)
	}
	j.placement = &p
	now := workflow.Now(ctx)
	j.state.Placement.Report = &p
	j.state.Placement.ReportedAt = &now
	if p.SelfReported && j.selfReportChannelOn(ctx) {
		j.openConfirmation(ctx)
		j.commit(ctx, evBy("placement-reported", placementDetail(p), p.Actor).say(placementWords(p).code, "category", string(p.Category)))
		if c := j.state.Placement.Confirmation; c != nil {
			return j.ok("self-reported placement recorded; it waits for staff to confirm or correct it until " + j.day(c.Until)), nil
		}
		return j.ok("self-reported placement recorded; the case will close"), nil
	}
	j.commit(ctx, evBy("placement-reported", "placement reported: "+string(p.Category), p.Actor).say("event.placement-reported", "category", string(p.Category)))
	return j.ok("placement recorded; the case will close"), nil
}

// attendanceRate is the share of training days attended.
func attendanceRate(t TrainingState, mode string) float64 {
	if t.Days <= 0 {
		return 0
	}
	switch {
	case t.Attended != nil:
		return float64(*t.Attended) / float64(t.Days)
	case t.Absent != nil:
		return float64(t.Days-*t.Absent) / float64(t.Days)
	case mode == "absence":
		return 1 // nothing missed was recorded
	default:
		return 0
	}
}
