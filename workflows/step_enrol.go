package workflows

import (
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// enrol checks the rules and gets the enrolment approved: automatically when every rule passes
// and the package allows it, otherwise by a centre admin.
func (j *journey) enrol(ctx workflow.Context) (bool, error) {
	j.seats = j.since(ctx, seatsAtApproval) >= 1
	var check contract.EnrolmentCheck
	err := contract.CheckEnrolment.Execute(storeCall(ctx), contract.EnrolmentCheckInput{
		CaseID: j.in.CaseID, NIKHash: j.in.NIKHash, PackageCode: j.in.PackageCode,
		Start: j.in.Start, End: j.in.End, Capacity: j.in.Capacity,
		MinAge: j.in.Settings.MinAge, MaxAge: j.in.Settings.MaxAge, NoSeat: j.seats,
	}).Get(ctx, &check)
	if err != nil {
		return false, err
	}
	e := &j.state.Enrolment
	e.Checked = true
	e.Problems = check.Problems
	e.Warnings = append(append([]string{}, j.in.ImportWarnings...), check.Warnings...)
	e.ProblemNotes = whole(check.ProblemNotes, len(e.Problems))
	e.WarningNotes = whole(j.in.ImportWarningNotes, len(e.Warnings)) // the check writes no warnings

	auto := len(e.Problems) == 0 && j.in.AutoApprove && j.withdrawal == nil
	full := ""
	if auto && j.seats {
		out, err := j.takeSeat(ctx, EnrolmentDecision{})
		if err != nil {
			return false, err
		}
		if out.Seated {
			e.Seat = &SeatState{Seated: true}
		} else {
			auto, full = false, j.fullError(out).Error()
		}
	}
	if auto {
		e.Decision = &Decided{Actor: Actor{ID: "kompeten", Role: vocab.RoleSystem}, At: workflow.Now(ctx), Approve: true, Reason: "all rules pass; package approves automatically"}
		j.commit(ctx, ev("enrolment-approved", "approved automatically: all rules pass").say("event.enrolment-approved.auto"))
	} else {
		detail := "waiting for a centre admin to approve"
		if len(e.Problems) > 0 {
			detail += "; rules not met: " + strings.Join(e.Problems, "; ")
		}
		if full != "" {
			detail += "; not approved automatically: " + full
		}
		spec := ev("enrolment-checked", detail).say("event.enrolment-checked", "problems", strings.Join(e.Problems, "; "))
		if len(e.Warnings) > 0 && j.recordsEvidence(ctx) {
			spec.evidence = &contract.EventEvidence{Warnings: e.Warnings, WarningNotes: e.WarningNotes}
		}
		if len(e.ProblemNotes) > 0 {
			// No version for the coded rules: they ride only in the read model's write, a local
			// activity's input, which a replay does not compare; and only a check that coded
			// them (a new activity result) has any.
			if spec.evidence == nil {
				spec.evidence = &contract.EventEvidence{}
			}
			spec.evidence.Rules = e.ProblemNotes
		}
		j.commit(ctx, spec)
		sla := j.in.Settings.SLA.EnrolmentApproval
		err := j.await(ctx, vocab.WaitingCentreAdmin, func() bool { return e.Decision != nil || j.withdrawal != nil },
			deadline{sla, vocab.StuckApprovalOverdue, "enrolment approval pending for more than " + humanDuration(sla) + " (centre admin)",
				say("stuck.approval-overdue.enrolment", "sla", sla.String())})
		if err != nil {
			return false, err
		}
	}
	if j.withdrawal != nil {
		return j.closeWithdrawn(ctx)
	}
	if !e.Decision.Approve {
		return j.close(ctx, vocab.OutcomeRejected, e.Decision.Reason, say("event.closed", "outcome", string(vocab.OutcomeRejected), "reason", e.Decision.Reason))
	}
	if err := j.awaitSeat(ctx); err != nil {
		return false, err
	}
	if j.withdrawal != nil {
		return j.closeWithdrawn(ctx)
	}
	j.tell(ctx, contract.MessageInput{Milestone: string(messaging.MilestoneEnrolment), Start: j.in.Start, End: j.in.End})
	return false, nil
}

// whole is notes when there is one for each of n sentences, else nil: a reader words either every
// sentence from its code or every one from its English, never a mix.
func whole(notes []i18n.Message, n int) []i18n.Message {
	if len(notes) != n || n == 0 {
		return nil
	}
	return notes
}
