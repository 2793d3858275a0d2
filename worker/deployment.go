package worker

import (
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// Deployment names the Worker Deployment Version a worker polls as: the deployment (one per
// kompeten installation and task queue) and the build (one per release). The server sends new
// workflows to the deployment's current version only, so a release's workers can start beside
// the running ones and take work when it is promoted (package release).
type Deployment struct {
	// Name is the Worker Deployment, worker.deployment_name ("kompeten").
	Name string
	// BuildID is this binary's build, worker.build_id (its version or commit by default).
	BuildID string
}

// Version is the SDK's name for this deployment version.
func (d Deployment) Version() sdkworker.WorkerDeploymentVersion {
	return sdkworker.WorkerDeploymentVersion{DeploymentName: d.Name, BuildID: d.BuildID}
}

// sdk turns on versioning. A workflow type registered without a behaviour gets AutoUpgrade,
// the safe choice for kompeten's long-lived workflows (see Behaviours).
func (d Deployment) sdk() sdkworker.DeploymentOptions {
	return sdkworker.DeploymentOptions{
		UseVersioning:             true,
		Version:                   d.Version(),
		DefaultVersioningBehavior: workflow.VersioningBehaviorAutoUpgrade,
	}
}

// How each workflow type moves between releases; it only matters on a versioned worker
// (worker.versioning), and README.md's Production section explains it to operators.
const (
	// longLived is for Journey and MoU: AutoUpgrade. A journey lasts 13 months and an agreement
	// years, so they see many releases; Pinned would keep every old release's workers running
	// until its last journey closed. They move to the current release at their next workflow
	// task instead, which is safe because every change to their code is guarded by
	// workflow.GetVersion and the replay test (workflows/replay_test.go) replays recorded
	// histories of every revision.
	longLived = workflow.VersioningBehaviorAutoUpgrade
	// shortLived is for DailyDigest and Escalation: Pinned. They run for seconds (hours at most,
	// while the notification webhook is down), their wording changes more often than anything
	// else, and pinned they finish on the code they started with, so such a change needs no
	// GetVersion. The price: a release's workers stay until `kompeten release status` shows it
	// drained.
	shortLived = workflow.VersioningBehaviorPinned
)
