package starter

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/converter"

	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// missingRowProblem is the drift of a running journey whose read-model row is gone.
const missingRowProblem = "running in Temporal, missing from the read model"

// recreateRow rebuilds the read-model row of running journey wid, which has none, from the
// journey's state (the state query) and the NIK hash of its start input (its history's first
// event, decrypted with the payload keys): the case then lists, reads and answers its steps
// again. The row takes the workflow's version, so the journey's next write still applies.
func (s *Service) recreateRow(ctx context.Context, wid string) (store.Case, error) {
	st, err := s.stateOf(ctx, wid)
	if err != nil {
		return store.Case{}, fmt.Errorf("no state from the workflow: %w", err)
	}
	if st.CaseID == "" {
		return store.Case{}, errors.New("the workflow's state names no case")
	}
	in, err := s.startInput(ctx, wid)
	if err != nil {
		return store.Case{}, err
	}
	if in.CaseID != "" && in.CaseID != st.CaseID {
		return store.Case{}, fmt.Errorf("the start input names case %s, the state case %s", in.CaseID, st.CaseID)
	}
	row := RowFromState(store.Case{CaseID: st.CaseID, WorkflowID: wid, NIKHash: in.NIKHash}, st)
	if err := s.Store.UpsertCase(ctx, row); err != nil {
		return row, fmt.Errorf("write the row: %w", err)
	}
	return row, nil
}

// startInput reads the input journey wid was started with from its history's first event.
func (s *Service) startInput(ctx context.Context, wid string) (workflows.JourneyInput, error) {
	var in workflows.JourneyInput
	it := s.Temporal.GetWorkflowHistory(ctx, wid, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	if !it.HasNext() {
		return in, errors.New("the workflow has no history")
	}
	first, err := it.Next()
	if err != nil {
		return in, fmt.Errorf("read the workflow's history: %w", err)
	}
	attrs := first.GetWorkflowExecutionStartedEventAttributes()
	if attrs == nil || len(attrs.GetInput().GetPayloads()) == 0 {
		return in, errors.New("the workflow's first event carries no start input")
	}
	var dc converter.DataConverter = converter.GetDefaultDataConverter()
	if ring, err := temporalclient.Keyring(s.Config); err == nil {
		dc = codec.DataConverter(ring)
	}
	if err := dc.FromPayload(attrs.GetInput().GetPayloads()[0], &in); err != nil {
		return in, fmt.Errorf("read the workflow's start input: %w", err)
	}
	return in, nil
}
