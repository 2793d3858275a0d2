package activities

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// TakeSeat decides a seat for a case whose enrolment is being approved, under the package's
// lock: seated, queued on the waiting list, or refused with the count (neither).
func (a *Activities) TakeSeat(ctx context.Context, in contract.SeatInput) (contract.SeatOutcome, error) {
	r, err := a.Store.TakeSeat(ctx, store.SeatRequest{
		Package: in.PackageCode, CaseID: in.CaseID, Waitlist: in.Waitlist, OverCapacity: in.OverCapacity, Reason: in.Reason,
	})
	if errors.Is(err, store.ErrNotFound) {
		return contract.SeatOutcome{}, notFound("package "+in.PackageCode, err)
	}
	if err != nil {
		return contract.SeatOutcome{}, err
	}
	return contract.SeatOutcome{Seated: r.Seated, Waiting: r.Waiting, Position: r.Position, Taken: r.Taken, Capacity: r.Capacity}, nil
}

// FreeSeat gives up a case's seat (or waiting-list place), moves the first waiting cases into
// the seats now free, and tells their journeys. A notice that fails is sent again by the retry
// (the seats not yet noticed are kept in the store).
func (a *Activities) FreeSeat(ctx context.Context, in contract.FreeSeatInput) (contract.FreeSeatResult, error) {
	if _, err := a.Store.FreeSeat(ctx, in.PackageCode, in.CaseID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return contract.FreeSeatResult{}, notFound("package "+in.PackageCode, err)
		}
		return contract.FreeSeatResult{}, err
	}
	moved, err := NotifySeated(ctx, a.Store, in.PackageCode, a.signal)
	return contract.FreeSeatResult{MovedIn: moved}, err
}

// NotifySeated tells every journey of a package moved in from the waiting list and not yet told
// that it has its seat, and marks each told. send signs and sends one signal (the worker's
// activities and the API each sign with their own purpose). It returns the cases told.
func NotifySeated(ctx context.Context, st *store.Store, pkg string, send func(ctx context.Context, workflowID, name string, arg any) error) ([]string, error) {
	ps, err := st.SeatNotices(ctx, pkg)
	if err != nil {
		return nil, err
	}
	var told []string
	var errs []error
	for _, p := range ps {
		if p.WorkflowID == "" {
			errs = append(errs, fmt.Errorf("case %s has no journey in the read model", p.CaseID))
			continue
		}
		sendErr := send(ctx, p.WorkflowID, contract.SignalSeatGranted, contract.SeatGranted{Package: pkg, FreedBy: p.FreedBy})
		var nf *serviceerror.NotFound
		if sendErr != nil && !errors.As(sendErr, &nf) {
			errs = append(errs, fmt.Errorf("tell case %s of its seat: %w", p.CaseID, sendErr))
			continue
		}
		// Told, or its journey has ended and needs no notice.
		if err := st.MarkSeatNotified(ctx, pkg, p.CaseID); err != nil {
			errs = append(errs, err)
			continue
		}
		if sendErr == nil {
			told = append(told, p.CaseID)
		}
	}
	if len(errs) > 0 {
		return told, fmt.Errorf("seat notices of %s: %w", pkg, errors.Join(errs...))
	}
	return told, nil
}
