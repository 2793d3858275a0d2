package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/agreement"
)

// commit bumps the agreement's version and writes its row and the given events (idempotently:
// a replayed or retried write carries the same version and event keys). A failed write is
// logged, not fatal: the next commit writes the whole row again.
func (w *mou) commit(ctx workflow.Context, events ...eventSpec) {
	w.state.Version++
	now := workflow.Now(ctx)
	in := contract.SyncAgreementInput{Agreement: w.row(now)}
	for _, e := range events {
		w.state.Seq++
		in.Events = append(in.Events, contract.AgreementEvent{
			Number:    w.state.Number,
			Key:       fmt.Sprintf("%06d", w.state.Seq),
			Kind:      e.kind,
			ActorID:   e.actor.ID,
			ActorRole: e.actor.Role,
			Detail:    e.detail,
			At:        now,
		})
	}
	lctx := workflow.WithLocalActivityOptions(ctx, syncOptions)
	if err := contract.SyncAgreement.ExecuteLocal(lctx, in).Get(lctx, nil); err != nil {
		workflow.GetLogger(ctx).Error("agreement read model write failed", "agreement", w.state.Number, "error", err)
	}
}

// row is the read-model row for the current state.
func (w *mou) row(now time.Time) contract.AgreementRow {
	s := w.state
	return contract.AgreementRow{
		Number: s.Number, Kind: s.Kind, Parent: s.Parent, PartnerCode: s.PartnerCode, Title: s.Title,
		Status: s.Status, SignedOn: s.SignedOn, Signatories: s.Signatories,
		ValidFrom: s.ValidFrom, ValidUntil: s.ValidUntil, TerminatedOn: s.TerminatedOn, EndReason: s.EndReason,
		Centres: s.Scope.Centres, Schemes: s.Scope.Schemes, TestSites: s.Scope.TestSites,
		Predecessor: s.Predecessor, Successor: s.Successor, Flags: s.Flags, Amendments: len(s.Amendments),
		WorkflowID: MoUWorkflowID(s.Number), Version: s.Version, UpdatedAt: now,
	}
}

// notifyWaiting tells the journeys waiting for an agreement in this one's scope to check again.
// A failure is logged and left to the journeys' own (slower) poll.
func (w *mou) notifyWaiting(ctx workflow.Context) {
	s := w.state
	var res contract.NotifyResult
	err := contract.NotifyWaitingCases.Execute(notifyCall(ctx), contract.NotifyInput{
		Number: s.Number, PartnerCode: s.PartnerCode, Centres: s.Scope.Centres, Schemes: s.Scope.Schemes,
		Signal: SignalAgreementChanged,
	}).Get(ctx, &res)
	if err != nil {
		workflow.GetLogger(ctx).Warn("could not tell waiting journeys", "agreement", s.Number, "error", err)
		return
	}
	if res.Signalled > 0 {
		w.commit(ctx, ev("released", fmt.Sprintf("told %d waiting case(s) to check again", res.Signalled)))
	}
}

// tellPKS sends an MoU's current end, scope and status to its PKS. A PKS has none.
func (w *mou) tellPKS(ctx workflow.Context, reason string) {
	s := w.state
	if s.Kind != agreement.KindMoU {
		return
	}
	var res contract.TellPKSResult
	err := contract.TellPKS.Execute(notifyCall(ctx), contract.TellPKSInput{
		Change: ParentChange{Parent: s.Number, Status: s.Status, LastDay: w.lastDay(), TerminatedOn: s.TerminatedOn,
			Centres: s.Scope.Centres, Schemes: s.Scope.Schemes, Reason: reason},
		Signal: SignalMoUParentChanged, WorkflowIDPrefix: MoUWorkflowID(""),
	}).Get(ctx, &res)
	if err != nil {
		workflow.GetLogger(ctx).Warn("could not tell the PKS", "agreement", s.Number, "error", err)
		return
	}
	if len(res.Told) > 0 {
		w.commit(ctx, ev("pks-told", "PKS told: "+strings.Join(res.Told, ", ")))
	}
}

func reminderInput(s *MoUState, coordinator string, last time.Time, left, offset int) contract.ReminderInput {
	return contract.ReminderInput{
		Number: s.Number, Kind: s.Kind, PartnerCode: s.PartnerCode, Coordinator: coordinator,
		LastDay: last, DaysLeft: left, Successor: s.Successor,
		Key: fmt.Sprintf("%s/%s/%d", s.Number, last.Format("2006-01-02"), offset),
	}
}

// notifyCall signals workflows: short attempts, retried for an hour, then given up (the
// journeys' poll is the safety net).
func notifyCall(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    2 * time.Minute,
		ScheduleToCloseTimeout: time.Hour,
		HeartbeatTimeout:       time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        5 * time.Minute,
			NonRetryableErrorTypes: []string{contract.ErrTypeNotFound},
		},
	})
}

// reminderCall delivers a reminder: retried for a day (a webhook receiver may be down), then
// recorded as undelivered.
func reminderCall(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    time.Minute,
		ScheduleToCloseTimeout: 24 * time.Hour,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    10 * time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Hour,
		},
	})
}
