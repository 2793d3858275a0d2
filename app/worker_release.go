package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/release"
	"github.com/bpvp-sidoarjo/kompeten/worker"
)

// versionSeenWait bounds how long a starting worker waits for the server to list its build
// (its first poll registers it; a second or two).
const versionSeenWait = time.Minute

// workerDeployment is the deployment version a worker polls as, or nil when worker.versioning
// is off (every worker takes every task, as before versioning).
func workerDeployment(c *config.Config) *worker.Deployment {
	if !c.Worker.Versioning {
		return nil
	}
	return &worker.Deployment{Name: c.Worker.DeploymentName, BuildID: c.Worker.BuildID}
}

// joinDeployment runs once a versioned worker polls: with worker.promote_first its build
// becomes current when the deployment has none (with own, dev's, always), and a build that is
// not current is logged as such, since it takes no new work until an operator promotes it.
func joinDeployment(ctx context.Context, c *config.Config, tc client.Client, logger *slog.Logger, own bool) error {
	d := workerDeployment(c)
	if d == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, versionSeenWait+10*time.Second)
	defer cancel()
	switch {
	case own:
		if err := release.Promote(ctx, tc, d.Name, d.BuildID, versionSeenWait); err != nil {
			return fmt.Errorf("make this build current: %w", err)
		}
	case c.Worker.PromoteFirst:
		promoted, err := release.PromoteFirst(ctx, tc, d.Name, d.BuildID, versionSeenWait)
		if err != nil {
			return fmt.Errorf("worker.promote_first: %w", err)
		}
		if promoted {
			logger.Info("first version of the worker deployment: made current", "deployment", d.Name, "build_id", d.BuildID)
		}
	}
	s, err := release.Describe(ctx, tc, d.Name)
	if err != nil {
		return err
	}
	switch d.BuildID {
	case s.Current:
		logger.Info("worker build is current", "deployment", d.Name, "build_id", d.BuildID)
	case s.Ramping:
		logger.Info("worker build is ramping", "deployment", d.Name, "build_id", d.BuildID, "percent", s.RampPercent, "current", s.Current)
	default:
		logger.Warn("worker build is not current: it takes no new work until promoted with `kompeten release promote`",
			"deployment", d.Name, "build_id", d.BuildID, "current", s.Current)
	}
	return nil
}
