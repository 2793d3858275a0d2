package bench

import (
	"context"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
)

// historySample is how many closed histories of each kind are read for the averages.
const historySample = 50

// histories averages the shapes of sampled closed journeys and same-shape workflows.
func (r *runner) histories(ctx context.Context, rep *Report) error {
	journeys, err := r.averageShape(ctx, r.journeyIDs, r.journeyHistory)
	if err != nil {
		return err
	}
	engine, err := r.averageShape(ctx, r.engineIDs, r.workflowHistory)
	if err != nil {
		return err
	}
	rep.History = HistoryStats{
		Sampled: min(historySample, len(r.journeyIDs)), Journey: journeys, Engine: engine,
		Matching: journeys.Activities == engine.Activities && journeys.TimersStarted == engine.TimersStarted && journeys.Updates == engine.Updates,
	}
	return nil
}

// averageShape reads up to historySample histories spread over ids and averages their shapes.
func (r *runner) averageShape(ctx context.Context, ids []string, read func(context.Context, string) (*historypb.History, error)) (Shape, error) {
	var sum Shape
	n := min(historySample, len(ids))
	if n == 0 {
		return sum, nil
	}
	for k := range n {
		h, err := read(ctx, ids[k*len(ids)/n])
		if err != nil {
			return sum, err
		}
		s := ShapeOf(h)
		sum.Events += s.Events
		sum.Bytes += s.Bytes
		sum.WorkflowTasks += s.WorkflowTasks
		sum.Activities += s.Activities
		sum.TimersStarted += s.TimersStarted
		sum.TimersFired += s.TimersFired
		sum.Updates += s.Updates
		sum.Signals += s.Signals
		sum.LocalActivities += s.LocalActivities
		sum.UpsertSA += s.UpsertSA
		sum.Commands += s.Commands
		sum.Actions += s.Actions
	}
	avg := func(v int) int { return (v + n/2) / n }
	return Shape{
		Events: avg(sum.Events), Bytes: avg(sum.Bytes), WorkflowTasks: avg(sum.WorkflowTasks),
		Activities: avg(sum.Activities), TimersStarted: avg(sum.TimersStarted), TimersFired: avg(sum.TimersFired),
		Updates: avg(sum.Updates), Signals: avg(sum.Signals), LocalActivities: avg(sum.LocalActivities),
		UpsertSA: avg(sum.UpsertSA), Commands: avg(sum.Commands), Actions: avg(sum.Actions),
	}, nil
}

// journeyHistory reads a journey's history by its case ID.
func (r *runner) journeyHistory(ctx context.Context, caseID string) (*historypb.History, error) {
	c, err := r.sys.store.GetCase(ctx, caseID)
	if err != nil {
		return nil, fmt.Errorf("history of case %s: %w", caseID, err)
	}
	return r.workflowHistory(ctx, c.WorkflowID)
}

// workflowHistory reads a whole history.
func (r *runner) workflowHistory(ctx context.Context, workflowID string) (*historypb.History, error) {
	it := r.sys.tc.GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", workflowID, err)
		}
		h.Events = append(h.Events, ev)
	}
	return h, nil
}
