// Package worker builds the Temporal worker that runs kompeten's workflows and activities.
// Production runs as many `kompeten worker` processes as the load needs; `kompeten dev` runs one
// inside its own process.
package worker

import (
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// NewWithOptions returns a worker on taskQueue with every workflow and activity registered,
// tuned by o (worker.* in the configuration; zero fields keep the SDK's defaults). It is not
// started; call Start (returns at once) or Run (blocks until interrupted).
func NewWithOptions(c client.Client, taskQueue string, acts *activities.Activities, o Options) sdkworker.Worker {
	w := sdkworker.New(c, taskQueue, o.SDK())
	Register(w, acts)
	return w
}

// Register adds every workflow and activity to a registry (a worker or a test environment).
func Register(r sdkworker.Registry, acts *activities.Activities) {
	r.RegisterWorkflowWithOptions(workflows.Journey, workflow.RegisterOptions{Name: workflows.JourneyWorkflowName, VersioningBehavior: longLived})
	r.RegisterWorkflowWithOptions(workflows.MoU, workflow.RegisterOptions{Name: workflows.MoUWorkflowName, VersioningBehavior: longLived})
	r.RegisterActivity(acts)
}
