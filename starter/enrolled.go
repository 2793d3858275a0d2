package starter

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// EnrolledCase answers the case ID of the person a NIK stands for in pkg when that person is
// already enrolled there ("" when not), keyed as Enrol keys people (the NIK's hash, or the
// record a correction aliased it to), so a preview can say already-enrolled before a start
// would. The read model answers first; a journey it does not list yet (it writes its case a
// moment after the start) is asked of Temporal, where Enrol's duplicate check looks.
func (s *Service) EnrolledCase(ctx context.Context, pkg store.Package, n string) (string, error) {
	key, err := s.PersonKey(ctx, n)
	if err != nil {
		return "", err
	}
	caseID := workflows.CaseIDFor(pkg.Code, key)
	switch _, err := s.Store.GetCase(ctx, caseID); {
	case err == nil:
		return caseID, nil
	case !errors.Is(err, store.ErrNotFound):
		return "", fmt.Errorf("look up case %s: %w", caseID, err)
	}
	if s.Temporal == nil {
		return "", nil // handler tests without Temporal: the read model is all there is
	}
	_, err = s.Temporal.DescribeWorkflowExecution(ctx, workflows.WorkflowIDFor(pkg.Code, key), "")
	var missing *serviceerror.NotFound
	switch {
	case err == nil:
		return caseID, nil
	case errors.As(err, &missing):
		return "", nil
	}
	return "", fmt.Errorf("describe journey of case %s: %w", caseID, err)
}
