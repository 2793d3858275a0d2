package activities

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// SyncAgreement writes an agreement's read-model row and its new events; both writes are
// idempotent (the row is versioned, the events keyed), so a retry or replay changes nothing.
func (a *Activities) SyncAgreement(ctx context.Context, in contract.SyncAgreementInput) error {
	if err := a.Store.UpsertAgreement(ctx, agreementRow(in.Agreement)); err != nil {
		return fmt.Errorf("sync agreement %s: %w", in.Agreement.Number, err)
	}
	if err := a.Store.AppendAgreementEvents(ctx, agreementEvents(in.Events)); err != nil {
		return fmt.Errorf("sync agreement %s: %w", in.Agreement.Number, err)
	}
	return nil
}

// NotifyWaitingCases tells the journeys that wait for an agreement with the partner, in the
// agreement's scope, to check again now: they are found in the read model (marked stuck
// "no-agreement" or waiting on "agreement") and signalled. A journey that closed meanwhile is
// skipped. A journey told needlessly checks once and goes on waiting.
func (a *Activities) NotifyWaitingCases(ctx context.Context, in contract.NotifyInput) (contract.NotifyResult, error) {
	var out contract.NotifyResult
	p, err := a.Store.GetPartner(ctx, in.PartnerCode)
	if errors.Is(err, store.ErrNotFound) {
		return out, notFound("partner of agreement "+in.Number, err)
	}
	if err != nil {
		return out, fmt.Errorf("notify for agreement %s: %w", in.Number, err)
	}
	cases, err := a.Store.WaitingForAgreement(ctx, store.CaseScope{
		PartnerCode: in.PartnerCode, PartnerKind: p.Kind, Centres: in.Centres, Schemes: in.Schemes,
	})
	if err != nil {
		return out, fmt.Errorf("notify for agreement %s: %w", in.Number, err)
	}
	out.Waiting = len(cases)
	var errs []error
	for i, c := range cases {
		err := a.signal(ctx, c.WorkflowID, in.Signal, contract.AgreementNotice{Number: in.Number, PartnerCode: in.PartnerCode})
		var nf *serviceerror.NotFound
		switch {
		case err == nil:
			out.Signalled++
		case errors.As(err, &nf):
			// Closed since the read model was written: nothing waits any more.
		default:
			errs = append(errs, fmt.Errorf("case %s: %w", c.CaseID, err))
		}
		if activity.IsActivity(ctx) && i%50 == 49 {
			activity.RecordHeartbeat(ctx, i+1)
		}
	}
	a.log(ctx).Info("agreement active: waiting journeys told to check again", "agreement", in.Number,
		"partner", in.PartnerCode, "waiting", out.Waiting, "signalled", out.Signalled)
	if len(errs) > 0 {
		// Retried as a whole: a second signal to a journey already told costs one check.
		return out, fmt.Errorf("notify for agreement %s: %d of %d signals failed: %w", in.Number, len(errs), len(cases), errors.Join(errs...))
	}
	return out, nil
}

// RemindCoordinator delivers one reminder that an agreement ends soon: in the log (the event
// log entry is written by the workflow) and, when configured, to a webhook.
func (a *Activities) RemindCoordinator(ctx context.Context, in contract.ReminderInput) error {
	a.log(ctx).Warn("agreement ends soon", "agreement", in.Number, "kind", in.Kind, "partner", in.PartnerCode,
		"last_day", in.LastDay.Format(time.DateOnly), "days_left", in.DaysLeft, "to", in.Coordinator,
		"successor", in.Successor)
	url := a.Agreements.ReminderWebhook
	if url == "" {
		return nil
	}
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("encode reminder %s: %w", in.Key, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("reminder webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", in.Key)
	hc := a.Agreements.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("reminder webhook for %s: %w", in.Number, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("reminder webhook for %s: HTTP %d", in.Number, resp.StatusCode)
	}
	return nil
}

// TellPKS sends an MoU's change to every live PKS under it, so none outlives it or covers what
// it no longer covers. A PKS whose workflow is not running is skipped: the coverage query also
// checks the MoU of a PKS, so the read model never lets one cover beyond its MoU.
func (a *Activities) TellPKS(ctx context.Context, in contract.TellPKSInput) (contract.TellPKSResult, error) {
	var out contract.TellPKSResult
	pks, err := a.Store.ListAgreements(ctx, store.AgreementFilter{Parent: in.Change.Parent, LiveOnly: true})
	if err != nil {
		return out, fmt.Errorf("tell PKS of %s: %w", in.Change.Parent, err)
	}
	for _, p := range pks {
		err := a.signal(ctx, in.WorkflowIDPrefix+p.Number, in.Signal, in.Change)
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			a.log(ctx).Warn("PKS has no running workflow", "pks", p.Number, "mou", in.Change.Parent)
			continue
		}
		if err != nil {
			return out, fmt.Errorf("tell PKS %s of %s: %w", p.Number, in.Change.Parent, err)
		}
		out.Told = append(out.Told, p.Number)
	}
	return out, nil
}

// signal sends a signal kompeten's own workflows take only with the worker's claim on it: the
// claim covers this workflow, this signal and this very argument, and is issued now.
func (a *Activities) signal(ctx context.Context, workflowID, name string, arg any) error {
	id, err := auth.NewClaimID()
	if err != nil {
		return err
	}
	arg, err = auth.SignArg(a.Agreements.ActorKey, auth.PurposeWorker, workflowID, name, arg, time.Now(), id)
	if err != nil {
		return fmt.Errorf("signal %s to %s: %w", name, workflowID, err)
	}
	if a.Agreements.Signal != nil {
		return a.Agreements.Signal(ctx, workflowID, name, arg)
	}
	return activity.GetClient(ctx).SignalWorkflow(ctx, workflowID, "", name, arg)
}

// localDay is on as seen in the network's time zone, so its calendar day is the right one.
func (a *Activities) localDay(on time.Time) time.Time {
	if a.Agreements.Location != nil {
		return on.In(a.Agreements.Location)
	}
	return on
}
