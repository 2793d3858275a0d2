package worker

import (
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// RegisterOps adds the operations workflows (daily digest, escalation) and their activities.
func RegisterOps(r sdkworker.Registry, ops *activities.Ops) {
	r.RegisterWorkflowWithOptions(workflows.DailyDigest, workflow.RegisterOptions{Name: workflows.DigestWorkflowName, VersioningBehavior: shortLived})
	r.RegisterWorkflowWithOptions(workflows.Escalation, workflow.RegisterOptions{Name: workflows.EscalationWorkflowName, VersioningBehavior: shortLived})
	r.RegisterActivity(ops)
}
