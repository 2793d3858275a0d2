package starter

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// ClosedError is a step sent to a case that has closed: its journey has ended, so nothing waits
// for the step. It used to come back as "case not found" (Temporal answers an update to a
// completed workflow with NotFound), which sent people looking for a typo in the case ID.
type ClosedError struct {
	CaseID  string
	Outcome vocab.Outcome
	// Nothing says what there is no longer to do ("nothing to approve").
	Nothing string
	// Code and Params word the refusal from the message catalogue ("refusal.closed", with the
	// case, its outcome and what there is no longer to do as a code of its own).
	Code   string
	Params map[string]string
}

// closedError is the refusal of a step sent to a closed case, with its message code.
func closedError(caseID string, outcome vocab.Outcome, name string, arg any) *ClosedError {
	code, words := closedStep(name, arg)
	return &ClosedError{CaseID: caseID, Outcome: outcome, Nothing: words, Code: "refusal.closed",
		Params: map[string]string{"case": caseID, "outcome": string(outcome), "nothing": code}}
}

func (e *ClosedError) Error() string {
	return fmt.Sprintf("case %s is closed (%s): %s", e.CaseID, e.Outcome, e.Nothing)
}

// closedStep words what a step would have done, for a closed case's refusal: the code of the
// catalogue's "nothing.<code>" message and the English words.
func closedStep(name string, arg any) (code, words string) {
	decision := func(approve bool) (string, string) {
		if approve {
			return "approve", "nothing to approve"
		}
		return "reject", "nothing to reject"
	}
	switch a := arg.(type) {
	case workflows.EnrolmentDecision:
		return decision(a.Approve)
	case *workflows.EnrolmentDecision:
		return decision(a.Approve)
	case workflows.CertificationDecision:
		return decision(a.Approve)
	case *workflows.CertificationDecision:
		return decision(a.Approve)
	}
	switch name {
	case workflows.UpdateCorrectParticipant:
		return "correct", "nothing to correct"
	case workflows.UpdateRecordAttendance:
		return "attendance", "no attendance to record"
	case workflows.UpdateWithdraw:
		return "withdraw", "nothing to withdraw"
	case workflows.UpdateRecordAssessment, workflows.SignalAssessmentResult:
		return "assessment", "no assessment result to record"
	case workflows.UpdateReportPlacement:
		return "placement", "no placement to report"
	case workflows.UpdateRecordFollowUp:
		return "follow-up", "no follow-up to record"
	case workflows.UpdateSelfReportContact:
		return "follow-up-answer", "no follow-up to answer"
	case workflows.UpdateConfirmPlacement:
		return "confirmation", "no placement to confirm"
	case workflows.SignalKPJDelivered:
		return "kpj", "no KPJ to deliver"
	case workflows.UpdateRetryRefused:
		return "retry", "no refused request to retry"
	case workflows.UpdateOrderReassessment:
		return "reassessment", "no re-assessment to order"
	case workflows.UpdateCloseUncertified:
		return "close-uncertified", "no certification to close"
	case workflows.UpdatePackageChanged:
		return "package-change", "no package change to apply"
	}
	return "anything", "nothing to do"
}

// openCase finds the workflow of a case a step is for, refusing a case the read model already
// shows closed (closing is final, so a closed row is never stale in that direction).
func (s *Service) openCase(ctx context.Context, caseID, name string, arg any) (string, error) {
	c, err := s.caseRow(ctx, caseID)
	if err != nil {
		return "", err
	}
	return openRow(c, name, arg)
}

// openRow is openCase on a row already read.
func openRow(c store.Case, name string, arg any) (string, error) {
	if c.Status == "closed" {
		return "", closedError(c.CaseID, c.Outcome, name, arg)
	}
	return c.WorkflowID, nil
}

// stepFailed classifies the error of a step sent to a journey. A journey that ended after the
// read model was read answers NotFound: read the case again, and say it is closed when it is.
func (s *Service) stepFailed(ctx context.Context, caseID, name string, arg any, err error) error {
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		if c, gerr := s.Store.GetCase(ctx, caseID); gerr == nil && c.Status == "closed" {
			return closedError(caseID, c.Outcome, name, arg)
		}
	}
	return classify(caseID, err)
}
