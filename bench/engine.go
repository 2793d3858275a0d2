package bench

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// The engine baseline's workflows and activity, on a task queue of their own so they never
// compete with journeys for a poller.
const (
	EngineTaskQueue     = "kompeten-bench-engine"
	NoopWorkflowName    = "bench.Noop"
	ShapeWorkflowName   = "bench.SameShape"
	NoopActivityName    = "bench.Noop"
	ShapeUpdateName     = "bench.step"
	idleTimerFor        = 24 * time.Hour
	noopActivityTimeout = 30 * time.Second
)

// NoopWorkflow does nothing: starting it measures the engine's raw start rate.
func NoopWorkflow(workflow.Context) error { return nil }

// NoopActivity does no work: the engine's cost of an activity. When note names a waiter (the
// benchmark's driver, in this process), it is told, at no cost to the engine, that the workflow
// is about to wait for its next update: the driver's stand-in for a person seeing the case in a
// list.
func NoopActivity(_ context.Context, note string) error {
	if note != "" {
		if ch, ok := waiters.Load(note); ok {
			select {
			case ch.(chan struct{}) <- struct{}{}:
			default:
			}
		}
	}
	return nil
}

// waiters maps "workflowID/update" to the channel of the driver waiting to send that update.
var waiters sync.Map

// SameShapeWorkflow runs a plan (see PlanOf): the same activities, timers and updates as a
// journey, with no-op bodies. The activity before each update tells the driver, which sends the
// update after a person's reaction time, so it arrives while the workflow waits for it, as a
// person's step arrives at a journey. An update that comes early anyway is held until the plan
// reaches it.
func SameShapeWorkflow(ctx workflow.Context, plan []Step) error {
	waitingFor, taken := -1, 0
	err := workflow.SetUpdateHandler(ctx, ShapeUpdateName, func(ctx workflow.Context, k int) error {
		if err := workflow.Await(ctx, func() bool { return waitingFor == k }); err != nil {
			return err
		}
		taken = k + 1
		return nil
	})
	if err != nil {
		return fmt.Errorf("register update: %w", err)
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: noopActivityTimeout})
	next := 0
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	for _, s := range plan {
		switch s.Kind {
		case StepActivity:
			note := ""
			if s.Announces {
				note = waiterKey(id, next)
			}
			if err := workflow.ExecuteActivity(actx, NoopActivityName, note).Get(ctx, nil); err != nil {
				return err
			}
		case StepSleep:
			d := s.Duration
			if s.Until > 0 {
				// At least a moment, so that the timer is there as the journey's is.
				d = max(time.Millisecond, s.Until-workflow.Now(ctx).Sub(workflow.GetInfo(ctx).WorkflowStartTime))
			}
			if err := workflow.Sleep(ctx, d); err != nil {
				return err
			}
		case StepIdleTimer:
			workflow.NewTimer(ctx, idleTimerFor) // like an SLA deadline the journey never reaches
		case StepUpdate:
			waitingFor = next
			k := next
			if err := workflow.Await(ctx, func() bool { return taken > k }); err != nil {
				return err
			}
			next++
		}
	}
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

func waiterKey(workflowID string, update int) string {
	return workflowID + "/" + strconv.Itoa(update)
}

// RegisterEngine adds the baseline workflows and activity to a worker.
func RegisterEngine(w sdkworker.Registry) {
	w.RegisterWorkflowWithOptions(NoopWorkflow, workflow.RegisterOptions{Name: NoopWorkflowName})
	w.RegisterWorkflowWithOptions(SameShapeWorkflow, workflow.RegisterOptions{Name: ShapeWorkflowName})
	w.RegisterActivityWithOptions(NoopActivity, activity.RegisterOptions{Name: NoopActivityName})
}
