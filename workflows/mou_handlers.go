package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// The people who may change an agreement: the coordinating unit and operators acting for it.
var mouRoles = []vocab.Role{vocab.RoleCoordinator, vocab.RoleOperator}

// today is the calendar day now in the network's time zone.
func (w *mou) today(ctx workflow.Context) time.Time { return calendarDay(workflow.Now(ctx), w.loc()) }

func (w *mou) requireLive(action string) error {
	if w.live() {
		return nil
	}
	return refusal("refusal.mou-not-live", fmt.Sprintf("cannot %s: %s %s is %s", action, w.state.Kind, w.state.Number, w.state.Status),
		"action", action, "kind", w.state.Kind, "number", w.state.Number, "status", w.state.Status)
}

// withinParent refuses a PKS end date past its MoU's last day: a PKS never outlives its MoU.
func (w *mou) withinParent(until time.Time) error {
	p := w.state.ParentLastDay
	if w.state.Kind == agreement.KindPKS && p != nil && dateOf(until).After(*p) {
		return refusal("refusal.mou-pks-outlives", fmt.Sprintf("a PKS may not outlive its MoU: %s covers until %s, asked until %s",
			w.state.Parent, p.Format(time.DateOnly), dateOf(until).Format(time.DateOnly)),
			"mou", w.state.Parent, "last", p.Format(time.DateOnly), "until", dateOf(until).Format(time.DateOnly))
	}
	return nil
}

func (w *mou) validateSign(ctx workflow.Context, r SignRequest) error {
	if err := requireRole(r.Actor, mouRoles...); err != nil {
		return err
	}
	if w.state.Status != agreement.Draft {
		return refusal("refusal.mou-sign-not-draft", fmt.Sprintf("cannot sign: %s %s is %s, not a draft", w.state.Kind, w.state.Number, w.state.Status),
			"kind", w.state.Kind, "number", w.state.Number, "status", w.state.Status)
	}
	if r.SignedOn.IsZero() {
		return refusal("refusal.mou-signed-on-required", "the signing date is required")
	}
	if dateOf(r.SignedOn).After(w.today(ctx)) {
		return refusal("refusal.mou-signed-on-future", fmt.Sprintf("signing date %s is in the future", dateOf(r.SignedOn).Format(time.DateOnly)),
			"day", dateOf(r.SignedOn).Format(time.DateOnly))
	}
	if len(nonEmpty(r.Signatories)) == 0 {
		return refusal("refusal.mou-signatory-required", "at least one signatory is required")
	}
	from, until := w.state.ValidFrom, w.state.ValidUntil
	if r.ValidFrom != nil {
		from = dateOf(*r.ValidFrom)
	}
	if r.ValidUntil != nil {
		until = dateOf(*r.ValidUntil)
	}
	if until.Before(from) {
		return refusal("refusal.mou-validity-order", fmt.Sprintf("validity ends (%s) before it starts (%s)", until.Format(time.DateOnly), from.Format(time.DateOnly)),
			"until", until.Format(time.DateOnly), "from", from.Format(time.DateOnly))
	}
	if until.Before(w.today(ctx)) {
		return refusal("refusal.mou-validity-ended", fmt.Sprintf("validity ended on %s: nothing left to sign", until.Format(time.DateOnly)),
			"until", until.Format(time.DateOnly))
	}
	return w.withinParent(until)
}

func (w *mou) onSign(ctx workflow.Context, r SignRequest) (string, error) {
	if err := w.lock.Lock(ctx); err != nil {
		return "", err
	}
	defer w.lock.Unlock()
	// Checked again under the lock: another change may have landed while this one waited. Its
	// refusal is coded like the validator's (refusalError), so the caller words it the same.
	if err := w.validateSign(ctx, r); err != nil {
		return "", refusalError(err)
	}
	s := &w.state
	signed := dateOf(r.SignedOn)
	s.SignedOn = &signed
	s.Signatories = nonEmpty(r.Signatories)
	if r.ValidFrom != nil {
		s.ValidFrom = dateOf(*r.ValidFrom)
	}
	if r.ValidUntil != nil {
		s.ValidUntil = dateOf(*r.ValidUntil)
	}
	s.Status = agreement.Signed
	w.reconcileReminders(workflow.Now(ctx))
	w.commit(ctx, evBy("signed", fmt.Sprintf("signed on %s by %s, valid %s to %s", w.dayText(s.SignedOn),
		strings.Join(s.Signatories, "; "), w.dayText(&s.ValidFrom), w.dayText(&s.ValidUntil)), r.Actor))
	w.changed = true
	return fmt.Sprintf("%s signed; in force from %s", s.Number, w.dayText(&s.ValidFrom)), nil
}

func (w *mou) validateAmend(ctx workflow.Context, a Amendment) error {
	if err := requireRole(a.Actor, mouRoles...); err != nil {
		return err
	}
	if err := w.requireLive("amend"); err != nil {
		return err
	}
	if a.ValidUntil == nil && a.Centres == nil && a.Schemes == nil && a.TestSites == nil {
		return refusal("refusal.mou-amend-empty", "an addendum must change the end date or the scope")
	}
	if a.ValidUntil != nil {
		until := dateOf(*a.ValidUntil)
		if until.Before(w.state.ValidFrom) {
			return refusal("refusal.mou-amend-before-start", fmt.Sprintf("new end %s is before the start %s", until.Format(time.DateOnly), w.state.ValidFrom.Format(time.DateOnly)),
				"until", until.Format(time.DateOnly), "from", w.state.ValidFrom.Format(time.DateOnly))
		}
		if until.Before(w.today(ctx)) {
			return refusal("refusal.mou-amend-passed", fmt.Sprintf("new end %s has passed; terminate the agreement instead", until.Format(time.DateOnly)),
				"until", until.Format(time.DateOnly))
		}
		if err := w.withinParent(until); err != nil {
			return err
		}
	}
	return nil
}

func (w *mou) onAmend(ctx workflow.Context, a Amendment) (string, error) {
	if err := w.lock.Lock(ctx); err != nil {
		return "", err
	}
	defer w.lock.Unlock()
	// Checked again under the lock: another change may have landed while this one waited. Its
	// refusal is coded like the validator's (refusalError), so the caller words it the same.
	if err := w.validateAmend(ctx, a); err != nil {
		return "", refusalError(err)
	}
	s := &w.state
	now := workflow.Now(ctx)
	a.At = now
	var changes []string
	widened := false
	if a.ValidUntil != nil {
		until := dateOf(*a.ValidUntil)
		if !until.Equal(s.ValidUntil) {
			widened = widened || until.After(s.ValidUntil)
			changes = append(changes, fmt.Sprintf("end %s → %s", s.ValidUntil.Format(time.DateOnly), until.Format(time.DateOnly)))
			s.ValidUntil = until
			w.reconcileReminders(now)
			if s.Status == agreement.Expiring && len(s.RemindersSent) == 0 {
				s.Status = agreement.Active
			}
		}
	}
	replace := func(name string, list *[]string, to *[]string) {
		if to == nil || slices.Equal(*list, *to) {
			return
		}
		widened = true // a scope change may cover someone new; a needless check is cheap
		changes = append(changes, fmt.Sprintf("%s %s → %s", name, listText(*list), listText(*to)))
		*list = slices.Clone(*to)
	}
	replace("centres", &s.Scope.Centres, a.Centres)
	replace("schemes", &s.Scope.Schemes, a.Schemes)
	replace("test sites", &s.Scope.TestSites, a.TestSites)
	s.Amendments = append(s.Amendments, a)
	ref := a.Ref
	if ref == "" {
		ref = fmt.Sprintf("addendum %d", len(s.Amendments))
	}
	detail := ref + ": " + strings.Join(changes, "; ")
	if len(changes) == 0 {
		detail = ref + ": no change"
	}
	if a.Note != "" {
		detail += " (" + a.Note + ")"
	}
	w.commit(ctx, evBy("amended", detail, a.Actor))
	if len(changes) > 0 {
		w.tellPKS(ctx, ref)
	}
	if widened && (s.Status == agreement.Active || s.Status == agreement.Expiring) {
		w.notifyWaiting(ctx)
	}
	w.changed = true
	return s.Number + " amended: " + detail, nil
}

func (w *mou) validateRenew(ctx workflow.Context, r RenewRequest) error {
	if err := requireRole(r.Actor, mouRoles...); err != nil {
		return err
	}
	s := w.state
	if s.Successor != "" {
		if s.Successor == r.Successor {
			return nil // a repeated request: answered with what was done
		}
		return refusal("refusal.mou-renewed", fmt.Sprintf("already renewed by %s", s.Successor), "successor", s.Successor)
	}
	if err := w.requireLive("renew"); err != nil {
		return err
	}
	if s.Status == agreement.Draft {
		return refusal("refusal.mou-renew-draft", "cannot renew a draft: sign it, or amend it")
	}
	switch {
	case strings.TrimSpace(r.Successor) == "":
		return refusal("refusal.mou-successor-number", "the successor's number is required")
	case r.Successor == s.Number:
		return refusal("refusal.mou-successor-own-number", "the successor needs its own number")
	case r.SignedOn.IsZero():
		return refusal("refusal.mou-successor-signed-on", "the successor's signing date is required")
	case dateOf(r.SignedOn).After(w.today(ctx)):
		return refusal("refusal.mou-successor-signed-future", "the successor's signing date is in the future")
	case len(nonEmpty(r.Signatories)) == 0:
		return refusal("refusal.mou-successor-signatory", "at least one signatory of the successor is required")
	case !dateOf(r.ValidFrom).After(s.ValidFrom):
		return refusal("refusal.mou-successor-start", fmt.Sprintf("the successor must start after %s", s.ValidFrom.Format(time.DateOnly)),
			"from", s.ValidFrom.Format(time.DateOnly))
	case dateOf(r.ValidUntil).Before(dateOf(r.ValidFrom)):
		return refusal("refusal.mou-successor-order", "the successor's validity ends before it starts")
	}
	if s.Kind == agreement.KindPKS && r.ParentLastDay != nil && dateOf(r.ValidUntil).After(dateOf(*r.ParentLastDay)) {
		return refusal("refusal.mou-successor-outlives", fmt.Sprintf("a PKS may not outlive its MoU: the successor's MoU covers until %s", dateOf(*r.ParentLastDay).Format(time.DateOnly)),
			"last", dateOf(*r.ParentLastDay).Format(time.DateOnly))
	}
	return nil
}

func (w *mou) onRenew(ctx workflow.Context, r RenewRequest) (string, error) {
	if err := w.lock.Lock(ctx); err != nil {
		return "", err
	}
	defer w.lock.Unlock()
	// Checked again under the lock: another change may have landed while this one waited. Its
	// refusal is coded like the validator's (refusalError), so the caller words it the same.
	if err := w.validateRenew(ctx, r); err != nil {
		return "", refusalError(err)
	}
	s := &w.state
	if s.Successor == r.Successor {
		return s.Number + " is already renewed by " + s.Successor, nil
	}
	succ := w.successorState(r)
	// The successor is its own long-lived workflow: started as a child only so that starting it
	// is part of this update's history, then left to live on its own.
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            MoUWorkflowID(succ.Number),
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		StaticSummary:         succ.Kind + " " + succ.Number + " with " + succ.PartnerCode,
	})
	child := workflow.ExecuteChildWorkflow(cctx, MoUWorkflowName, MoUInput{State: succ, Settings: w.in.Settings})
	if err := child.GetChildWorkflowExecution().Get(ctx, nil); err != nil {
		return "", fmt.Errorf("start successor %s: %w", succ.Number, err)
	}
	s.Successor = succ.Number
	s.SuccessorFrom = &succ.ValidFrom
	takeover := w.lastDay().AddDate(0, 0, 1)
	detail := fmt.Sprintf("renewed by %s, valid %s to %s", succ.Number, w.dayText(&succ.ValidFrom), w.dayText(&succ.ValidUntil))
	var events []eventSpec
	switch gap := int(succ.ValidFrom.Sub(takeover).Hours() / 24); {
	case gap > 0:
		flag := fmt.Sprintf("gap of %d day(s): %s ends after %s but %s starts on %s; cases needing %s in between will wait",
			gap, s.Number, w.dayText(ptrDay(w.lastDay())), succ.Number, w.dayText(&succ.ValidFrom), s.PartnerCode)
		s.Flags = append(s.Flags, flag)
		events = append(events, evBy("renewed", detail, r.Actor), ev("gap", flag))
	case gap < 0:
		events = append(events, evBy("renewed", fmt.Sprintf("%s (overlapping by %d day(s))", detail, -gap), r.Actor))
	default:
		events = append(events, evBy("renewed", detail+" (no gap)", r.Actor))
	}
	w.commit(ctx, events...)
	w.changed = true
	return detail, nil
}

// successorState is the successor's initial state: signed, same partner and (unless given)
// scope, pointing back at this agreement.
func (w *mou) successorState(r RenewRequest) MoUState {
	s := w.state
	signed := dateOf(r.SignedOn)
	scope := s.Scope
	if r.Scope != nil {
		scope = *r.Scope
	}
	scope = Scope{Centres: slices.Clone(scope.Centres), Schemes: slices.Clone(scope.Schemes), TestSites: slices.Clone(scope.TestSites)}
	parent, parentLast := s.Parent, s.ParentLastDay
	if r.Parent != "" {
		parent = r.Parent
	}
	if r.ParentLastDay != nil {
		d := dateOf(*r.ParentLastDay)
		parentLast = &d
	}
	title := r.Title
	if title == "" {
		title = s.Title
	}
	return MoUState{
		Number: r.Successor, Kind: s.Kind, Parent: parent, PartnerCode: s.PartnerCode, Title: title,
		Status: agreement.Signed, SignedOn: &signed, Signatories: nonEmpty(r.Signatories),
		ValidFrom: dateOf(r.ValidFrom), ValidUntil: dateOf(r.ValidUntil), Scope: scope,
		Predecessor: s.Number, ParentLastDay: parentLast, Origin: "renewal",
	}
}

func (w *mou) validateTerminate(ctx workflow.Context, t Termination) error {
	if err := requireRole(t.Actor, mouRoles...); err != nil {
		return err
	}
	if err := w.requireLive("terminate"); err != nil {
		return err
	}
	if strings.TrimSpace(t.Reason) == "" {
		return refusal("refusal.mou-terminate-reason", "a termination needs a reason")
	}
	if w.state.TerminatedOn != nil {
		return refusal("refusal.mou-terminate-set", fmt.Sprintf("termination already set for %s", w.state.TerminatedOn.Format(time.DateOnly)),
			"on", w.state.TerminatedOn.Format(time.DateOnly))
	}
	if t.On != nil {
		on := dateOf(*t.On)
		if on.After(w.state.ValidUntil) {
			return refusal("refusal.mou-terminate-after-end", fmt.Sprintf("it ends after %s anyway; a termination on %s changes nothing", w.state.ValidUntil.Format(time.DateOnly), on.Format(time.DateOnly)),
				"until", w.state.ValidUntil.Format(time.DateOnly), "on", on.Format(time.DateOnly))
		}
		if on.Before(w.today(ctx)) {
			return refusal("refusal.mou-terminate-passed", fmt.Sprintf("termination date %s has passed; use today", on.Format(time.DateOnly)),
				"on", on.Format(time.DateOnly))
		}
	}
	return nil
}

func (w *mou) onTerminate(ctx workflow.Context, t Termination) (string, error) {
	if err := w.lock.Lock(ctx); err != nil {
		return "", err
	}
	defer w.lock.Unlock()
	// Checked again under the lock: another change may have landed while this one waited. Its
	// refusal is coded like the validator's (refusalError), so the caller words it the same.
	if err := w.validateTerminate(ctx, t); err != nil {
		return "", refusalError(err)
	}
	s := &w.state
	on := w.today(ctx)
	if t.On != nil {
		on = dateOf(*t.On)
	}
	s.TerminatedOn = &on
	s.EndReason = strings.TrimSpace(t.Reason)
	w.reconcileReminders(workflow.Now(ctx))
	events := []eventSpec{evBy("termination", fmt.Sprintf("terminated from %s: %s", on.Format(time.DateOnly), s.EndReason), t.Actor)}
	if s.Successor != "" && s.SuccessorFrom != nil && s.SuccessorFrom.After(on) {
		// The successor was to take over at the old end: ending earlier opens a gap.
		flag := fmt.Sprintf("gap of %d day(s): %s terminated from %s but %s starts on %s; cases needing %s in between will wait",
			int(s.SuccessorFrom.Sub(on).Hours()/24), s.Number, on.Format(time.DateOnly), s.Successor, s.SuccessorFrom.Format(time.DateOnly), s.PartnerCode)
		s.Flags = append(s.Flags, flag)
		events = append(events, ev("gap", flag))
	}
	w.commit(ctx, events...)
	if s.Status != agreement.Draft {
		// The PKS end with it on that day; they learn now, not only at the end.
		w.tellPKS(ctx, "terminated from "+on.Format(time.DateOnly)+": "+s.EndReason)
	}
	w.changed = true
	return fmt.Sprintf("%s terminated from %s", s.Number, on.Format(time.DateOnly)), nil
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func listText(xs []string) string {
	if len(xs) == 0 {
		return "all"
	}
	return strings.Join(xs, ",")
}
