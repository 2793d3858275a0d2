// Package release moves kompeten's workers from one release to the next while journeys run,
// with Temporal's worker deployment versioning: every `kompeten worker` polls as a version
// (worker.deployment_name and worker.build_id) of one Worker Deployment, the server sends new
// workflows to the deployment's current version, and promoting a release makes it current.
// Journeys and agreements then continue on it at their next step (AutoUpgrade); the digest and
// escalations finish on the release that started them (Pinned), see worker.Deployment.
package release

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// pollEvery is how often Promote asks whether the build's workers have been seen.
const pollEvery = 500 * time.Millisecond

// ErrNotSeen says a build has no workers polling yet, so it cannot take work.
var ErrNotSeen = errors.New("no worker of this build has polled the task queue yet")

// Promote makes buildID the deployment's current version: new journeys start on it and running
// AutoUpgrade workflows continue on it. A version becomes known when one of its workers polls,
// so Promote waits up to wait for that (a worker just started); promoting the current version
// again changes nothing. Any ramp to the promoted build ends with it.
func Promote(ctx context.Context, c client.Client, deployment, buildID string, wait time.Duration) error {
	h := c.WorkerDeploymentClient().GetHandle(deployment)
	d, err := waitForVersion(ctx, h, buildID, wait)
	if err != nil {
		return err
	}
	if cur := d.Info.RoutingConfig.CurrentVersion; cur != nil && cur.BuildID == buildID {
		return nil
	}
	if _, err := h.SetCurrentVersion(ctx, client.WorkerDeploymentSetCurrentVersionOptions{
		BuildID: buildID, ConflictToken: d.ConflictToken,
	}); err != nil {
		return fmt.Errorf("make build %s current in worker deployment %s: %w", buildID, deployment, err)
	}
	return nil
}

// PromoteFirst promotes buildID when the deployment has no current version yet: the first
// versioned worker of an installation (or the first after versioning was turned on) takes the
// work without an operator's command. It reports whether it promoted. Later releases are
// promoted by an operator (`kompeten release promote`), once their workers run.
func PromoteFirst(ctx context.Context, c client.Client, deployment, buildID string, wait time.Duration) (bool, error) {
	h := c.WorkerDeploymentClient().GetHandle(deployment)
	d, err := waitForVersion(ctx, h, buildID, wait)
	if err != nil {
		return false, err
	}
	if d.Info.RoutingConfig.CurrentVersion != nil {
		return false, nil
	}
	_, err = h.SetCurrentVersion(ctx, client.WorkerDeploymentSetCurrentVersionOptions{
		BuildID: buildID, ConflictToken: d.ConflictToken,
	})
	var conflict *serviceerror.FailedPrecondition
	if errors.As(err, &conflict) {
		// Another worker's build became current between Describe and here (the conflict token
		// changed): that is the outcome PromoteFirst wants, one current version.
		if d, derr := h.Describe(ctx, client.WorkerDeploymentDescribeOptions{}); derr == nil && d.Info.RoutingConfig.CurrentVersion != nil {
			return false, nil
		}
	}
	if err != nil {
		return false, fmt.Errorf("make build %s current in the new worker deployment %s: %w", buildID, deployment, err)
	}
	return true, nil
}

// Ramp sends percent of new workflows (and AutoUpgrade workflows' next tasks) to buildID while
// the current version keeps the rest; 0 ends the ramp. A ramp tries a release on a share of the
// work before Promote.
func Ramp(ctx context.Context, c client.Client, deployment, buildID string, percent float32, wait time.Duration) error {
	if percent < 0 || percent > 100 {
		return fmt.Errorf("ramp percentage must be 0 to 100, got %g", percent)
	}
	h := c.WorkerDeploymentClient().GetHandle(deployment)
	d, err := waitForVersion(ctx, h, buildID, wait)
	if err != nil {
		return err
	}
	opts := client.WorkerDeploymentSetRampingVersionOptions{BuildID: buildID, Percentage: percent, ConflictToken: d.ConflictToken}
	if percent == 0 {
		// Ending a ramp is setting no ramping version.
		opts.BuildID = ""
	}
	if _, err := h.SetRampingVersion(ctx, opts); err != nil {
		return fmt.Errorf("ramp build %s to %g%% in worker deployment %s: %w", buildID, percent, deployment, err)
	}
	return nil
}

// waitForVersion describes the deployment until buildID is one of its versions, i.e. one of its
// workers has polled; the deployment itself exists only from its first versioned poll.
func waitForVersion(ctx context.Context, h client.WorkerDeploymentHandle, buildID string, wait time.Duration) (client.WorkerDeploymentDescribeResponse, error) {
	deadline := time.Now().Add(wait)
	for {
		d, err := h.Describe(ctx, client.WorkerDeploymentDescribeOptions{})
		var notFound *serviceerror.NotFound
		switch {
		case err == nil:
			for _, v := range d.Info.VersionSummaries {
				if v.Version.BuildID == buildID {
					return d, nil
				}
			}
		case !errors.As(err, &notFound):
			return d, fmt.Errorf("describe worker deployment: %w", err)
		}
		if !time.Now().Before(deadline) {
			return d, fmt.Errorf("build %s: %w (waited %s; start a `kompeten worker` of that build first)", buildID, ErrNotSeen, wait)
		}
		select {
		case <-ctx.Done():
			return d, fmt.Errorf("build %s: %w", buildID, ctx.Err())
		case <-time.After(pollEvery):
		}
	}
}
