package activities

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// CheckEnrolment applies the enrolment rules that need the store: the person's age at the
// start date, no overlapping active package, and a free seat. Each rule not met is a message
// of the catalogue (rule.*) with its English beside it.
func (a *Activities) CheckEnrolment(ctx context.Context, in contract.EnrolmentCheckInput) (contract.EnrolmentCheck, error) {
	var out contract.EnrolmentCheck
	p, err := a.Store.GetParticipant(ctx, in.NIKHash)
	if errors.Is(err, store.ErrNotFound) {
		return out, notFound("participant record", err)
	}
	if err != nil {
		return out, fmt.Errorf("check enrolment %s: %w", in.CaseID, err)
	}
	age := AgeOn(p.BirthDate, in.Start)
	if age < in.MinAge {
		out.Problem("rule.age-below", "age", strconv.Itoa(age), "min", strconv.Itoa(in.MinAge))
	}
	if in.MaxAge > 0 && age > in.MaxAge {
		out.Problem("rule.age-above", "age", strconv.Itoa(age), "max", strconv.Itoa(in.MaxAge))
	}
	overlaps, err := a.Store.OverlappingActiveCases(ctx, in.NIKHash, in.Start, in.End, in.PackageCode)
	if err != nil {
		return out, fmt.Errorf("check overlap %s: %w", in.CaseID, err)
	}
	for _, c := range overlaps {
		out.Problem("rule.overlap", "package", c.PackageCode, "case", c.CaseID)
	}
	if in.NoSeat {
		return out, nil // the approval takes the seat
	}
	ok, taken, err := a.Store.ReserveSeat(ctx, in.PackageCode, in.CaseID, in.Capacity)
	if err != nil {
		return out, fmt.Errorf("reserve seat for %s: %w", in.CaseID, err)
	}
	if !ok {
		out.Problem("rule.full", "package", in.PackageCode, "taken", strconv.Itoa(taken), "capacity", strconv.Itoa(in.Capacity))
	}
	return out, nil
}

// FindAgreement finds the active agreement (a PKS before its MoU) that lets a centre use a partner (and, for an LSP, a scheme)
// on the calendar day of q.On in the network's time zone.
func (a *Activities) FindAgreement(ctx context.Context, q contract.AgreementQuery) (contract.AgreementResult, error) {
	m, err := a.Store.Covering(ctx, q.PartnerCode, q.CentreCode, q.Scheme, a.localDay(q.On))
	if errors.Is(err, store.ErrNotFound) {
		return contract.AgreementResult{}, nil
	}
	if err != nil {
		return contract.AgreementResult{}, fmt.Errorf("find agreement with %s: %w", q.PartnerCode, err)
	}
	return contract.AgreementResult{Found: true, Number: m.Number}, nil
}

// SyncCase writes the case's read-model row and its new events; both writes are idempotent.
// The row and the events go in one round trip (store.SyncCase).
func (a *Activities) SyncCase(ctx context.Context, in contract.SyncInput) error {
	events := make([]store.Event, len(in.Events))
	for i, e := range in.Events {
		events[i] = caseEvent(e)
	}
	if err := a.Store.SyncCase(ctx, caseRow(in.Case), events); err != nil {
		return fmt.Errorf("sync case %s: %w", in.Case.CaseID, err)
	}
	if c := in.Case; c.Status == store.StatusClosed && (c.Outcome == vocab.OutcomeRejected || c.Outcome == vocab.OutcomeWithdrawn) {
		// The seat goes back to the package for someone else.
		if err := a.Store.ReleaseSeat(ctx, c.PackageCode, c.CaseID); err != nil {
			return err
		}
	}
	return nil
}
