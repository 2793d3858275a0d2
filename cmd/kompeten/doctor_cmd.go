package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// doctorTimeout bounds one doctor run: it asks every open case's journey for its state, which
// takes minutes with many thousands of open cases.
const doctorTimeout = 30 * time.Minute

func newDoctorCmd() *cobra.Command {
	var repair bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Compare Temporal's state of every case with the read model; --repair fixes drift",
		Long: `Temporal holds each case's truth; PostgreSQL's read model is a projection of it, written by
the journeys. After an outage of PostgreSQL (or a hand edit) the two may differ. doctor asks
every open case of the read model and every running journey in Temporal's visibility for its
state, and reports each difference (stage, status, outcome, waiting party, stuck mark, version).
--repair rewrites a drifted row from the workflow's state with the workflow's version, so the
journey's next write still applies. It also lists every case showing a KPJ or certificate
number that belongs to another person (from before numbers were claimed, or from a journey of
an older revision); those need a person, --repair leaves them. Like the other operator commands
it asks the HTTP API (--server, KOMPETEN_SERVER), with a coordinator's or operator's token. Exit
code 3 when drift or such a number remains.`,
		Example: `  kompeten doctor
  kompeten doctor --repair -o json
  KOMPETEN_SERVER=https://kompeten.internal KOMPETEN_TOKEN=$OPS_TOKEN kompeten doctor`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := outputFormat(cmd)
			if err != nil {
				return err
			}
			c, err := newAPIClient(cmd, apiclient.WithTimeout(doctorTimeout))
			if err != nil {
				return err
			}
			rep, err := c.Doctor(cmd.Context(), repair)
			if err != nil {
				return err
			}
			if format == "json" {
				if err := printJSON(cmd.OutOrStdout(), rep); err != nil {
					return err
				}
			} else {
				printDoctor(cmd, rep)
			}
			for _, d := range rep.Drifts {
				if !d.Repaired {
					return &exitError{code: exitDrift}
				}
			}
			if len(rep.Numbers) > 0 {
				return &exitError{code: exitDrift}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&repair, "repair", false, "rewrite drifted read-model rows from the workflows' state")
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}

func printDoctor(cmd *cobra.Command, rep starter.DoctorReport) {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%d cases checked, %d with drift\n", rep.Checked, len(rep.Drifts))
	for _, d := range rep.Drifts {
		state := "drift"
		switch {
		case d.Repaired:
			state = "repaired"
		case d.RepairError != "":
			state = "not repaired: " + d.RepairError
		}
		id := d.CaseID
		if id == "" {
			id = d.WorkflowID
		}
		fmt.Fprintf(w, "%s  %s  [%s]\n", id, strings.TrimSpace(d.Problem), state)
	}
	if len(rep.Numbers) > 0 {
		fmt.Fprintf(w, "%d cases show a number that belongs to another person:\n", len(rep.Numbers))
	}
	for _, n := range rep.Numbers {
		fmt.Fprintf(w, "%s  %s %s belongs to case %s\n", n.CaseID, n.Kind, n.Number, n.HolderCaseID)
	}
}
