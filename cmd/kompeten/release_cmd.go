package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/release"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
)

// releaseWait is how long promote and ramp wait for the build's workers to be seen polling.
const releaseWait = 2 * time.Minute

func newReleaseCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "release",
		Short: "Roll a new kompeten release out to the workers while journeys run (worker.versioning)",
		Long: `With worker.versioning on, every kompeten worker polls as one build (worker.build_id, the
binary's version or commit by default) of the Worker Deployment worker.deployment_name. New
journeys go to the current build only. To release: start the new build's workers beside the
old ones, then kompeten release promote (or ramp first). Running journeys and agreements move
to the promoted build at their next step; a digest or escalation already running finishes on
its old build, so stop the old workers once kompeten release status says it is drained.
Needs only the temporal.* and worker.* keys.`,
	}
	cmd.AddCommand(newReleasePromoteCmd(), newReleaseRampCmd(), newReleaseStatusCmd())
	return cmd
}

// withTemporal loads the configuration and dials the cluster for a release command.
func withTemporal(cmd *cobra.Command, run func(ctx context.Context, c *config.Config, tc client.Client) error) error {
	c, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	logger := app.NewLogger(c.Log, os.Stderr)
	ctx, cancel := context.WithTimeout(cmd.Context(), releaseWait+time.Minute)
	defer cancel()
	tc, err := temporalclient.Dial(ctx, c, logger)
	if err != nil {
		return err
	}
	defer tc.Close()
	return run(ctx, c, tc)
}

func newReleasePromoteCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "promote [BUILD_ID]",
		Short: "Make a build current: new journeys start on it, running ones continue on it",
		Long: `Makes BUILD_ID (this binary's own build when left out) the current version of the worker
deployment. Its workers must be running: promote waits up to 2 minutes for them to be seen.
Promoting the current build again changes nothing. Journeys and agreements (AutoUpgrade) take
their next step on it; digests and escalations already running stay on their build (Pinned).`,
		Example: "  kompeten release promote\n  kompeten release promote v1.4.0",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withTemporal(cmd, func(ctx context.Context, c *config.Config, tc client.Client) error {
				build, err := buildArg(c, args)
				if err != nil {
					return err
				}
				if err := release.Promote(ctx, tc, c.Worker.DeploymentName, build, releaseWait); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "build %s is current in worker deployment %s\n", build, c.Worker.DeploymentName)
				return printStatus(ctx, cmd, c, tc)
			})
		},
	}
}

func newReleaseRampCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "ramp BUILD_ID PERCENT",
		Short:   "Send a share of new work to a build before promoting it (0 ends the ramp)",
		Example: "  kompeten release ramp v1.4.0 10\n  kompeten release ramp v1.4.0 0",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			pct, err := strconv.ParseFloat(args[1], 32)
			if err != nil {
				return fmt.Errorf("PERCENT: a number from 0 to 100, got %q", args[1])
			}
			return withTemporal(cmd, func(ctx context.Context, c *config.Config, tc client.Client) error {
				if err := release.Ramp(ctx, tc, c.Worker.DeploymentName, args[0], float32(pct), releaseWait); err != nil {
					return err
				}
				return printStatus(ctx, cmd, c, tc)
			})
		},
	}
}

func newReleaseStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "status",
		Short:   "Show the builds of the worker deployment: current, ramping, draining, drained",
		Example: "  kompeten release status",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withTemporal(cmd, func(ctx context.Context, c *config.Config, tc client.Client) error {
				return printStatus(ctx, cmd, c, tc)
			})
		},
	}
}

// buildArg is the build a command names, or this binary's.
func buildArg(c *config.Config, args []string) (string, error) {
	if len(args) == 1 {
		return args[0], nil
	}
	if c.Worker.BuildID != "" {
		return c.Worker.BuildID, nil
	}
	if id := currentVersion().BuildID(); id != "" {
		return id, nil
	}
	return "", fmt.Errorf("BUILD_ID: this binary carries no version or commit; name the build (kompeten release status lists them)")
}

func printStatus(ctx context.Context, cmd *cobra.Command, c *config.Config, tc client.Client) error {
	s, err := release.Describe(ctx, tc, c.Worker.DeploymentName)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(c.Journey.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return s.Print(cmd.OutOrStdout(), loc)
}
