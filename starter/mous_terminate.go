package starter

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// DependentsError refuses to terminate an agreement that live cases still need: ending it
// leaves them waiting, stuck for want of an agreement. Terminating with force ends it anyway.
type DependentsError struct {
	Number string
	// Count is how many live cases depend on it; First are the first of them (stuck first,
	// then the longest in their stage), as the agreement's page lists them.
	Count int
	First []store.AgreementCase
}

func (e *DependentsError) Error() string {
	ids := make([]string, 0, len(e.First))
	for _, c := range e.First {
		ids = append(ids, fmt.Sprintf("%s (%s, %s)", c.CaseID, c.CentreCode, c.Stage))
	}
	more := ""
	if e.Count > len(e.First) {
		more = fmt.Sprintf(" and %d more", e.Count-len(e.First))
	}
	return fmt.Sprintf("agreement %s has %d live case(s) depending on it: %s%s; terminating it leaves them waiting for an agreement — terminate with force to end it anyway",
		e.Number, e.Count, strings.Join(ids, ", "), more)
}

// Refusal is the refusal's message code and parameters (issue 15): the cases by their IDs, and
// how many more there are ("" for none), so the pages word it in the reader's language.
func (e *DependentsError) Refusal() workflows.RefusalDetails {
	ids := make([]string, 0, len(e.First))
	for _, c := range e.First {
		ids = append(ids, c.CaseID)
	}
	more := ""
	if e.Count > len(e.First) {
		more = strconv.Itoa(e.Count - len(e.First))
	}
	return problemCode("refusal.mou-dependents", "number", e.Number, "count", strconv.Itoa(e.Count), "cases", strings.Join(ids, ", "), "more", more)
}

// firstDependents is how many dependent cases a refusal names.
const firstDependents = 5

// TerminateAgreement ends an agreement early (today, or from a later day). An agreement that
// live cases depend on (as `mou list` counts them) is refused with a *DependentsError naming
// them, unless force is set.
func (s *Service) TerminateAgreement(ctx context.Context, number string, t workflows.Termination, force bool) (string, error) {
	if !force {
		if err := s.refuseWithDependents(ctx, number); err != nil {
			return "", err
		}
	}
	return s.updateAgreement(ctx, number, workflows.UpdateMoUTerminate, t)
}

// refuseWithDependents returns a *DependentsError when live cases depend on the agreement.
func (s *Service) refuseWithDependents(ctx context.Context, number string) error {
	a, err := s.Store.GetAgreement(ctx, number)
	if errors.Is(err, store.ErrNotFound) {
		// A successor whose workflow has not written its row yet: nothing to count, and the
		// workflow answers for itself (updateAgreement).
		return nil
	}
	if err != nil {
		return err
	}
	if !a.Live() {
		return nil // the workflow refuses ending what has ended, in its words
	}
	kinds, err := s.partnerKinds(ctx)
	if err != nil {
		return err
	}
	sc := scopeOf(a, kinds[a.PartnerCode])
	n, err := s.Store.CountDependentCases(ctx, sc)
	if err != nil || n == 0 {
		return err
	}
	first, err := s.Store.DependentCases(ctx, sc, firstDependents)
	if err != nil {
		return err
	}
	return &DependentsError{Number: number, Count: n, First: first}
}
