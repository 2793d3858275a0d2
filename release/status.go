package release

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// Status is a deployment's releases as `kompeten release status` shows them.
type Status struct {
	Deployment string
	// Current and Ramping are build IDs; "" when none (Ramping: no ramp under way).
	Current, Ramping string
	RampPercent      float32
	Versions         []Version
}

// Version is one release the deployment tracks.
type Version struct {
	BuildID string
	Created time.Time
	// Drainage is "draining" while pinned workflows (a digest, an escalation) still run on it
	// after it stopped being current, "drained" when none do, so its workers may stop; "" for
	// the current and the ramping version. Journeys never hold an old release: they upgrade.
	Drainage string
}

// Describe reads the deployment; one that does not exist (no versioned worker has polled yet)
// is an empty Status, not an error.
func Describe(ctx context.Context, c client.Client, deployment string) (Status, error) {
	s := Status{Deployment: deployment}
	d, err := c.WorkerDeploymentClient().GetHandle(deployment).Describe(ctx, client.WorkerDeploymentDescribeOptions{})
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("describe worker deployment %s: %w", deployment, err)
	}
	rc := d.Info.RoutingConfig
	if rc.CurrentVersion != nil {
		s.Current = rc.CurrentVersion.BuildID
	}
	if rc.RampingVersion != nil {
		s.Ramping, s.RampPercent = rc.RampingVersion.BuildID, rc.RampingVersionPercentage
	}
	for _, v := range d.Info.VersionSummaries {
		s.Versions = append(s.Versions, Version{BuildID: v.Version.BuildID, Created: v.CreateTime, Drainage: drainage(v.DrainageStatus)})
	}
	slices.SortFunc(s.Versions, func(a, b Version) int { return a.Created.Compare(b.Created) })
	return s, nil
}

func drainage(d client.WorkerDeploymentVersionDrainageStatus) string {
	switch d {
	case client.WorkerDeploymentVersionDrainageStatusDraining:
		return "draining"
	case client.WorkerDeploymentVersionDrainageStatusDrained:
		return "drained"
	}
	return ""
}

// Version returns the named build's entry, or false.
func (s Status) Version(buildID string) (Version, bool) {
	for _, v := range s.Versions {
		if v.BuildID == buildID {
			return v, true
		}
	}
	return Version{}, false
}

// Print writes the status for an operator: one line per release, oldest first, with what it
// does now and whether its workers may stop.
func (s Status) Print(w io.Writer, loc *time.Location) error {
	if len(s.Versions) == 0 {
		_, err := fmt.Fprintf(w, "worker deployment %s: no versioned worker has polled yet\n", s.Deployment)
		return err
	}
	if _, err := fmt.Fprintf(w, "worker deployment %s\n", s.Deployment); err != nil {
		return err
	}
	for _, v := range s.Versions {
		role := "old"
		switch v.BuildID {
		case s.Current:
			role = "current: takes new journeys"
		case s.Ramping:
			role = fmt.Sprintf("ramping: takes %g%% of new work", s.RampPercent)
		}
		switch v.Drainage {
		case "draining":
			role += ", draining: pinned workflows may still run on it (the server checks every few minutes), keep its workers"
		case "drained":
			role += ", drained: its workers may stop"
		}
		if _, err := fmt.Fprintf(w, "  %-24s %s  %s\n", v.BuildID, v.Created.In(loc).Format("2006-01-02 15:04"), role); err != nil {
			return err
		}
	}
	return nil
}
