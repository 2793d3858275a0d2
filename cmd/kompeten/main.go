// Command kompeten runs the kompeten workflow engine: `kompeten dev` starts everything in one
// process; `kompeten worker` and `kompeten serve` run against an existing Temporal cluster and
// PostgreSQL; the other commands are for the people who operate it.
package main

import (
	"context"
	"errors"
	"fmt"
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
	if err := root.ExecuteContext(ctx); err != nil {
		var exit *exitError
		if errors.As(err, &exit) {
			os.Exit(exit.code)
		}
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
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
	addConfigFlags(root)
	root.AddCommand(
		newDevCmd(), newServeCmd(), newWorkerCmd(), newMigrateCmd(), newConfigCmd(), newSimulateCmd(),
		newPackageCmd(), newImportCmd(), newCaseCmd(), newApproveCmd(), newRejectCmd(),
		newAttendCmd(), newWithdrawCmd(), newAssessCmd(), newPlaceCmd(), newCorrectCmd(),
		newMoUCmd(), newInsuranceCmd(), newBenchCmd(),
		newStuckCmd(), newRetryCmd(), newEscalateCmd(),
		newTokenCmd(), newDoctorCmd(),
	)
	return root
}
