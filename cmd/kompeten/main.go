// Command kompeten runs the kompeten workflow engine: `kompeten dev` starts everything in one
// process; `kompeten worker` and `kompeten serve` run against an existing Temporal cluster and
// PostgreSQL; the other commands are for the people who operate it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // package dates are shown in journey.timezone on any machine

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot()
	if cmd, err := root.ExecuteContextC(ctx); err != nil {
		os.Exit(exitCode(os.Stderr, cmd, err))
	}
}

// exitCode prints err (unless its message was already printed) in the language of cmd, the
// command that ran (cliSays), and returns the process's exit code: an exitError's own, 4 for a
// refused token (HTTP 401), 5 for a request the token's role or scope does not allow (HTTP 403),
// else 1. The codes are listed in README (Command line); they, not the words, are for scripts.
func exitCode(w io.Writer, cmd *cobra.Command, err error) int {
	var exit *exitError
	if errors.As(err, &exit) {
		return exit.code
	}
	fmt.Fprintln(w, cliSays(cmd).Tf("cli.error", "detail", err.Error()))
	var auth *authError
	if errors.As(err, &auth) {
		return auth.code
	}
	return exitFailure
}

// exitError ends the process with a code after its message was already printed.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "kompeten",
		Short: "Workflow engine for vocational-training journeys on Temporal",
		Long: `kompeten carries every trainee of a vocational-training network through enrolment,
BPJS Ketenagakerjaan insurance, training, LSP competency assessment, certification and
placement follow-up, as one durable Temporal workflow per trainee, and shows which cases are
stuck and why.

Start everything on this machine:   kompeten dev
Operate a running system:           kompeten package create ..., kompeten import ..., kompeten case list`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	v := currentVersion()
	root.Version = v.Version
	root.SetVersionTemplate(v.String())
	addConfigFlags(root)
	root.AddCommand(
		newDevCmd(), newServeCmd(), newWorkerCmd(), newMigrateCmd(), newSetupCmd(), newConfigCmd(), newSimulateCmd(),
		newPackageCmd(), newImportCmd(), newCaseCmd(), newApproveCmd(), newRejectCmd(),
		newAttendCmd(), newWithdrawCmd(), newAssessCmd(), newCertificateCmd(), newPlaceCmd(), newPlacementCmd(), newFollowUpCmd(), newResultsCmd(), newCorrectCmd(), newResolveCmd(),
		newMoUCmd(), newInsuranceCmd(), newBenchCmd(),
		newStuckCmd(), newRetryCmd(), newEscalateCmd(),
		newTokenCmd(), newUserCmd(), newDoctorCmd(), newVersionCmd(), newReleaseCmd(),
	)
	return root
}
