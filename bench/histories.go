package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

// historySample is how many closed histories of each kind are read for the averages.
const historySample = 50

// histories averages the shapes of sampled closed journeys and same-shape workflows.
func (r *runner) histories(ctx context.Context, rep *Report) error {
	journeys, jk, err := r.averageShape(ctx, r.journeyIDs, r.journeyHistory)
	if err != nil {
		return err
	}
	engine, ek, err := r.averageShape(ctx, r.engineIDs, r.workflowHistory)
	if err != nil {
		return err
	}
	rep.History = HistoryStats{Sampled: min(historySample, len(r.journeyIDs)), Journey: journeys, Engine: engine, Matching: jk == ek}
	if r.o.HistoryDir != "" && len(r.journeyIDs) > 0 && len(r.engineIDs) > 0 {
		if err := r.saveHistory(ctx, r.journeyIDs[0], r.journeyHistory, filepath.Join(r.o.HistoryDir, "bench-journey.json")); err != nil {
			return err
		}
		return r.saveHistory(ctx, r.engineIDs[0], r.workflowHistory, filepath.Join(r.o.HistoryDir, "bench-same-shape.json"))
	}
	return nil
}

// saveHistory writes one history as JSON (payloads stay encrypted), to compare event by event.
func (r *runner) saveHistory(ctx context.Context, id string, read func(context.Context, string) (*historypb.History, error), path string) error {
	h, err := read(ctx, id)
	if err != nil {
		return err
	}
	b, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(h)
	if err != nil {
		return fmt.Errorf("encode history of %s: %w", id, err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write history of %s: %w", id, err)
	}
	return nil
}

// shapeKey is what the baseline must have in common with a journey.
type shapeKey struct{ Activities, Timers, Updates int }

// averageShape reads up to historySample histories spread over ids and averages their shapes;
// it also returns the most common activities/timers/updates counts among them.
func (r *runner) averageShape(ctx context.Context, ids []string, read func(context.Context, string) (*historypb.History, error)) (Shape, shapeKey, error) {
	var sum Shape
	var common shapeKey
	n := min(historySample, len(ids))
	if n == 0 {
		return sum, common, nil
	}
	seen := map[shapeKey]int{}
	for k := range n {
		h, err := read(ctx, ids[k*len(ids)/n])
		if err != nil {
			return sum, common, err
		}
		s := ShapeOf(h)
		key := shapeKey{s.Activities, s.TimersStarted, s.Updates}
		if seen[key]++; seen[key] > seen[common] {
			common = key
		}
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
	}, common, nil
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
