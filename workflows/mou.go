package workflows

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/agreement"
)

// MoU runs one agreement — an MoU with a partner or a PKS under an MoU — from draft to its end:
// signed, active from its first day, reminders to the coordinator before its last day, amended
// (end date or scope), renewed by a successor, and expired, renewed or terminated early. It keeps
// the agreement's read-model row, which the journeys' coverage queries read, and tells the
// journeys waiting for an agreement when it becomes active. An agreement lives for years, so it
// continues as new (carrying its state, pending reminders included) before its history grows
// large, once every accepted update has finished.
func MoU(ctx workflow.Context, in MoUInput) (MoUState, error) {
	w := newMoU(ctx, in)
	if err := w.setup(ctx); err != nil {
		return w.state, err
	}
	err := w.run(ctx)
	var can *workflow.ContinueAsNewError
	if errors.As(err, &can) {
		return w.state, err
	}
	// Let accepted updates finish before the workflow completes, so no caller loses an answer.
	if waitErr := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); waitErr != nil && err == nil {
		err = waitErr
	}
	return w.state, err
}

// mou holds one running agreement. Handlers and the main loop share it; the mutex keeps each
// change and its writes together while an activity yields.
type mou struct {
	in       MoUInput
	state    MoUState
	lock     workflow.Mutex
	changed  bool // an update changed the state: the main loop re-plans
	parentCh workflow.ReceiveChannel
	location *time.Location
}

func newMoU(ctx workflow.Context, in MoUInput) *mou {
	s := in.State
	if s.Kind == "" {
		s.Kind = agreement.KindMoU
	}
	if s.Status == "" {
		s.Status = agreement.Draft
	}
	return &mou{in: in, state: s, lock: workflow.NewMutex(ctx)}
}

// setup registers the query, the updates and the parent's signal channel.
func (w *mou) setup(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (MoUState, error) { return w.state, nil }); err != nil {
		return fmt.Errorf("register query: %w", err)
	}
	updates := []struct {
		name      string
		handler   any
		validator any
	}{
		// Validators are wrapped (codedCtx) so that a refusal reaches the caller with its message
		// code: the API and the pages word it in the reader's language (issue 15).
		{UpdateMoUSign, w.onSign, codedCtx(w.validateSign)},
		{UpdateMoUAmend, w.onAmend, codedCtx(w.validateAmend)},
		{UpdateMoURenew, w.onRenew, codedCtx(w.validateRenew)},
		{UpdateMoUTerminate, w.onTerminate, codedCtx(w.validateTerminate)},
	}
	for _, u := range updates {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.name, u.handler, workflow.UpdateHandlerOptions{Validator: u.validator}); err != nil {
			return fmt.Errorf("register update %s: %w", u.name, err)
		}
	}
	w.parentCh = workflow.GetSignalChannel(ctx, SignalMoUParentChanged)
	return nil
}

// run keeps the agreement's row in step and waits for the next thing to happen — its first
// day, a reminder, its end, an update or its MoU's news — until the agreement ends.
func (w *mou) run(ctx workflow.Context) error {
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	w.commit(ctx, w.openingEvents(ctx)...)
	w.lock.Unlock()
	for {
		if err := w.lock.Lock(ctx); err != nil {
			return err
		}
		w.drainParent(ctx)
		w.advance(ctx)
		w.lock.Unlock()
		if w.ended() {
			return nil
		}
		if w.shouldContinueAsNew(ctx) {
			if err := w.continueAsNew(ctx); !errors.Is(err, errNewsArrived) {
				return err
			}
			continue
		}
		w.changed = false
		wake := func() bool { return w.changed || w.parentCh.Len() > 0 }
		next := w.nextMoment(workflow.Now(ctx))
		var err error
		if next.IsZero() {
			err = workflow.Await(ctx, wake)
		} else {
			_, err = workflow.AwaitWithTimeout(ctx, until(ctx, next), wake)
		}
		if err != nil {
			return err
		}
	}
}

// openingEvents say how this run began; a continued run adds none.
func (w *mou) openingEvents(ctx workflow.Context) []eventSpec {
	if w.state.Runs > 0 {
		workflow.GetLogger(ctx).Info("agreement continued as new", "agreement", w.state.Number, "runs", w.state.Runs)
		return nil
	}
	s := w.state
	switch s.Origin {
	case "restored":
		return []eventSpec{ev("restored", "workflow started again from the agreement's last recorded state ("+s.Status+")")}
	case "seed":
		return []eventSpec{ev("tracked", fmt.Sprintf("%s from the registry seed (signed %s), valid %s to %s",
			s.Status, w.dayText(s.SignedOn), w.dayText(&s.ValidFrom), w.dayText(&s.ValidUntil)))}
	case "renewal":
		return []eventSpec{ev("signed", fmt.Sprintf("signed on %s as the successor of %s, valid %s to %s",
			w.dayText(s.SignedOn), s.Predecessor, w.dayText(&s.ValidFrom), w.dayText(&s.ValidUntil)))}
	}
	detail := fmt.Sprintf("%s with %s drafted, valid %s to %s", s.Kind, s.PartnerCode, w.dayText(&s.ValidFrom), w.dayText(&s.ValidUntil))
	if s.Status == agreement.Signed {
		detail = fmt.Sprintf("%s with %s signed on %s, valid %s to %s", s.Kind, s.PartnerCode, w.dayText(s.SignedOn), w.dayText(&s.ValidFrom), w.dayText(&s.ValidUntil))
	}
	return []eventSpec{ev("created", detail)}
}

// advance makes every transition that is due now: in force from the first day, the reminders,
// and the end. Call it with the lock held.
func (w *mou) advance(ctx workflow.Context) {
	now := workflow.Now(ctx)
	s := &w.state
	if s.Status == agreement.Draft && s.TerminatedOn != nil {
		w.finish(ctx, agreement.Terminated, "abandoned before signing: "+s.EndReason)
		return
	}
	if s.Status == agreement.Signed && !now.Before(w.start()) && now.Before(w.end()) {
		s.Status = agreement.Active
		w.commit(ctx, ev("active", fmt.Sprintf("in force from %s to %s", w.dayText(&s.ValidFrom), w.dayText(ptrDay(w.lastDay())))))
		w.notifyWaiting(ctx)
	}
	if (s.Status == agreement.Active || s.Status == agreement.Expiring) && now.Before(w.end()) {
		w.remind(ctx, now)
	}
	if w.live() && s.Status != agreement.Draft && !now.Before(w.end()) {
		switch {
		case s.TerminatedOn != nil && !s.TerminatedOn.After(s.ValidUntil):
			w.finish(ctx, agreement.Terminated, "terminated early: "+s.EndReason)
		case s.Successor != "":
			w.finish(ctx, agreement.Renewed, "ended on "+w.dayText(ptrDay(w.lastDay()))+"; "+s.Successor+" takes over")
		default:
			w.finish(ctx, agreement.Expired, "expired after "+w.dayText(ptrDay(w.lastDay()))+" with no successor")
		}
	}
}

// remind sends the reminder that is due, if any: the smallest offset whose moment has passed.
// Larger offsets passed at the same time (an agreement signed or shortened late) are not sent
// separately: one reminder says how many days are left.
func (w *mou) remind(ctx workflow.Context, now time.Time) {
	s := &w.state
	var due []int
	for _, d := range w.reminderDays() {
		if !now.Before(w.reminderAt(d)) && !slices.Contains(s.RemindersSent, d) {
			due = append(due, d)
		}
	}
	if len(due) == 0 {
		return
	}
	s.RemindersSent = append(s.RemindersSent, due...)
	slices.Sort(s.RemindersSent)
	s.Status = agreement.Expiring
	last := w.lastDay()
	left := int(last.Sub(calendarDay(now, w.loc())).Hours()/24) + 1 // calendar days covered, today included
	detail := fmt.Sprintf("%s with %s ends after %s (%d days left): reminder to the coordinator %s", s.Kind, s.PartnerCode, w.dayText(&last), left, w.in.Settings.Coordinator)
	if s.Successor != "" {
		detail += "; successor " + s.Successor + " signed"
	} else {
		detail += "; no successor yet"
	}
	w.commit(ctx, ev("reminder", detail))
	err := contract.RemindCoordinator.Execute(reminderCall(ctx), reminderInput(s, w.in.Settings.Coordinator, last, left, due[len(due)-1])).Get(ctx, nil)
	if err != nil {
		// The reminder is in the event log and on the agreements page either way.
		w.commit(ctx, ev("reminder-undelivered", "reminder webhook failed: "+err.Error()))
	}
}

// finish ends the agreement with a final status; its PKS learn of it.
func (w *mou) finish(ctx workflow.Context, status, detail string) {
	w.state.Status = status
	w.commit(ctx, ev(status, detail))
	w.tellPKS(ctx, detail)
}

func (w *mou) live() bool { return agreement.Live(w.state.Status) }

func (w *mou) ended() bool { return !w.live() }

// nextMoment is the next time something is due: the first day, a reminder or the end. Zero
// means nothing is scheduled (a draft waits for its signing).
func (w *mou) nextMoment(now time.Time) time.Time {
	s := w.state
	if s.Status == agreement.Draft {
		return time.Time{}
	}
	var next time.Time
	consider := func(t time.Time) {
		if t.After(now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	if s.Status == agreement.Signed {
		consider(w.start())
	}
	for _, d := range w.reminderDays() {
		if !slices.Contains(s.RemindersSent, d) {
			consider(w.reminderAt(d))
		}
	}
	consider(w.end())
	return next
}

// shouldContinueAsNew is true when the server suggests it or the history passed the limit.
func (w *mou) shouldContinueAsNew(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	limit := w.in.Settings.HistoryLimit
	if limit <= 0 {
		limit = DefaultMoUHistoryLimit
	}
	return info.GetContinueAsNewSuggested() || info.GetCurrentHistoryLength() >= limit
}

// errNewsArrived sends the main loop round once more before continuing as new.
var errNewsArrived = errors.New("news from the MoU arrived while handlers finished")

// continueAsNew hands the state to a fresh run once every accepted update has finished. News
// from the MoU still in the signal channel would be lost with this run, so it is taken in first
// (errNewsArrived: the loop records it and comes back here).
func (w *mou) continueAsNew(ctx workflow.Context) error {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	if w.parentCh.Len() > 0 {
		return errNewsArrived
	}
	w.state.Runs++
	workflow.GetLogger(ctx).Info("agreement continues as new", "agreement", w.state.Number, "history", workflow.GetInfo(ctx).GetCurrentHistoryLength())
	return workflow.NewContinueAsNewError(ctx, MoUWorkflowName, MoUInput{State: w.state, Settings: w.in.Settings})
}

func (w *mou) dayText(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.Format("2006-01-02")
}

func ptrDay(t time.Time) *time.Time { return &t }
