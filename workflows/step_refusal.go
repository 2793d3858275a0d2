package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// wayOut is the way out of an LSP's refusal a person chose: the update they sent and its
// argument.
type wayOut struct {
	update   string
	decision RefusalDecision
}

// awaitWayOut stops the case where it is after the LSP refused a request (RevisionAudited):
// stuck with code and the LSP's words, waiting on the LSP certification manager (the inbox
// lists it), until a person chooses a way out — retry the request once the LSP has fixed its
// record, order a re-assessment (a refused certificate only), or go on without a certificate
// (the coordinator) — or the trainee withdraws. Past sla the stuck reason says the refusal is
// overdue, for the stuck list, the digest and an escalation.
func (j *journey) awaitWayOut(ctx workflow.Context, code vocab.Reason, msg string, sla time.Duration) (*wayOut, bool, error) {
	j.refusal, j.way = code, nil
	defer func() { j.refusal = "" }()
	reason := refusalReason(code, j.in.LSPCode, msg)
	decided := func() bool { return j.way != nil || j.withdrawal != nil }
	j.setWaiting(ctx, vocab.WaitingLSPManager)
	j.markStuck(ctx, code, reason, say("stuck."+string(code), "lsp", j.in.LSPCode, "message", msg))
	done := false
	if sla > 0 {
		ok, err := j.awaitDeadline(ctx, sla, decided)
		if err != nil {
			return nil, false, err
		}
		if done = ok; !done {
			j.restateStuck(ctx, reason+"; unresolved for more than "+humanDuration(sla),
				say("stuck."+string(code)+".overdue", "lsp", j.in.LSPCode, "message", msg, "sla", sla.String()))
		}
	}
	if !done {
		if err := workflow.Await(ctx, decided); err != nil {
			return nil, false, err
		}
	}
	j.clearStuck(ctx)
	j.setWaiting(ctx, "")
	if j.withdrawal != nil {
		closed, err := j.closeWithdrawn(ctx)
		return nil, closed, err
	}
	return j.way, false, nil
}

// refusalReason words a refusal for the stuck list and the inbox: the LSP's words and who can
// do what about it.
func refusalReason(code vocab.Reason, lsp, msg string) string {
	if code == vocab.StuckAssessmentRefused {
		return fmt.Sprintf("%s refused the assessment request (%q): the LSP certification manager retries it once the LSP has fixed its record, or the coordinator closes it without a certificate", lsp, msg)
	}
	return fmt.Sprintf("%s refused to issue the certificate (%q): the LSP certification manager retries the issuance once the LSP has fixed its record or orders a re-assessment, or the coordinator closes it without a certificate", lsp, msg)
}

// restateStuck rewords the reason of a case already stuck, keeping its code and since when.
func (j *journey) restateStuck(ctx workflow.Context, reason string, w words) {
	if !j.state.Stuck || j.state.StuckReason == reason {
		return
	}
	j.state.StuckReason = reason
	j.state.StuckMessage, j.state.StuckParams = w.code, w.params
	e := ev("stuck", reason)
	e.words = w
	j.commit(ctx, e)
}

// requireRefusal admits a way out only while the case waits for one.
func (j *journey) requireRefusal(action string) error {
	if j.refusal == "" {
		return refusal("refusal.no-lsp-refusal", fmt.Sprintf("cannot %s: case %s is not waiting on a refusal by its LSP (stage %s)", action, j.in.CaseID, j.state.Stage),
			"action", actionCode(action), "case", j.in.CaseID, "stage", string(j.state.Stage))
	}
	if j.way != nil {
		return refusal("refusal.way-out-chosen", "a way out of this refusal was already chosen")
	}
	return nil
}

// The ways out, by role: whoever runs the LSP's side (its certification manager) retries a
// request once the LSP has fixed its record, and orders a re-assessment, which is the LSP's to
// hold; the coordinator may retry too. Going on without a certificate changes what the network
// reports, and the LSP is the party whose refusal it settles, so only the coordinator decides
// it, with a reason.

func (j *journey) validateRetryRefused(d RefusalDecision) error {
	if err := requireRole(d.Actor, vocab.RoleLSPManager, vocab.RoleCoordinator); err != nil {
		return err
	}
	return j.requireRefusal("retry the refused request")
}

func (j *journey) validateOrderReassessment(d RefusalDecision) error {
	if err := requireRole(d.Actor, vocab.RoleLSPManager); err != nil {
		return err
	}
	if err := j.requireRefusal("order a re-assessment"); err != nil {
		return err
	}
	if j.refusal != vocab.StuckCertificateRefused {
		return refusal("refusal.reassessment-needs-certificate", "a re-assessment follows a refused certificate; here the LSP refused the assessment request itself: retry it, or close without a certificate")
	}
	if strings.TrimSpace(d.Reason) == "" {
		return refusal("refusal.reassessment-reason", "a re-assessment needs a reason")
	}
	scheme := j.state.Assessment.Units
	seen := map[string]bool{}
	for _, u := range d.Units {
		if !slices.Contains(scheme, u) {
			return refusal("refusal.unit-not-in-scheme", fmt.Sprintf("unit %q is not a unit of scheme %s (%s)", u, j.in.Scheme, strings.Join(scheme, ", ")),
				"unit", u, "scheme", j.in.Scheme, "units", strings.Join(scheme, ", "))
		}
		if seen[u] {
			return refusal("refusal.unit-twice", fmt.Sprintf("unit %s is given twice", u), "unit", u)
		}
		seen[u] = true
	}
	return nil
}

func (j *journey) validateCloseUncertified(d RefusalDecision) error {
	if err := requireRole(d.Actor, vocab.RoleCoordinator); err != nil {
		return err
	}
	if err := j.requireRefusal("close without a certificate"); err != nil {
		return err
	}
	if strings.TrimSpace(d.Reason) == "" {
		return refusal("refusal.close-reason", "closing without a certificate needs a reason")
	}
	return nil
}

// onWayOut takes one of the ways out (update name) and records who chose it and why.
func (j *journey) onWayOut(name string) func(workflow.Context, RefusalDecision) (UpdateResult, error) {
	return func(ctx workflow.Context, d RefusalDecision) (UpdateResult, error) {
		j.way = &wayOut{update: name, decision: d}
		what := "the certificate issuance"
		if j.refusal == vocab.StuckAssessmentRefused {
			what = "the assessment request"
		}
		var kind, detail, msg string
		switch name {
		case UpdateRetryRefused:
			kind, detail, msg = "refusal-retried", "retry of "+what+" asked", what+" will be sent to "+j.in.LSPCode+" again"
		case UpdateOrderReassessment:
			units := "every unit of " + j.in.Scheme
			if len(d.Units) > 0 {
				units = strings.Join(d.Units, ", ")
			}
			kind, detail, msg = "reassessment-ordered", "re-assessment of "+units+" ordered", "re-assessment ordered; the case goes back to assessment"
		default:
			j.state.Certification.Uncertified = &Decided{Actor: d.Actor, At: workflow.Now(ctx), Reason: d.Reason}
			kind, detail, msg = "closed-uncertified", "certification closed without a certificate", "closed without a certificate; placement follow-up goes on"
		}
		r := strings.TrimSpace(d.Reason)
		if r != "" {
			detail += ": " + r
		}
		unitsParam := ""
		if len(d.Units) > 0 {
			unitsParam = strings.Join(d.Units, ", ")
		}
		j.commit(ctx, evBy(kind, detail, d.Actor).say("event."+kind, "what", string(j.refusal), "units", unitsParam, "scheme", j.in.Scheme, "reason", r))
		return j.ok(msg), nil
	}
}
