package bench

import (
	"context"
	"fmt"
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

// NoopActivity does nothing: the engine's cost of an activity without any work in it.
func NoopActivity(context.Context) error { return nil }

// SameShapeWorkflow runs a plan (see PlanOf): the same activities, timers and updates as a
// journey, with no-op bodies. Updates may arrive early; each is held until the plan reaches it,
// so its caller is answered when the workflow has taken it, as a journey answers a person.
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
	for _, s := range plan {
		switch s.Kind {
		case StepActivity:
			if err := workflow.ExecuteActivity(actx, NoopActivityName).Get(ctx, nil); err != nil {
				return err
			}
		case StepSleep:
			if err := workflow.Sleep(ctx, s.Duration); err != nil {
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

// RegisterEngine adds the baseline workflows and activity to a worker.
func RegisterEngine(w sdkworker.Registry) {
	w.RegisterWorkflowWithOptions(NoopWorkflow, workflow.RegisterOptions{Name: NoopWorkflowName})
	w.RegisterWorkflowWithOptions(SameShapeWorkflow, workflow.RegisterOptions{Name: ShapeWorkflowName})
	w.RegisterActivityWithOptions(NoopActivity, activity.RegisterOptions{Name: NoopActivityName})
}
