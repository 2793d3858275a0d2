package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
)

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
journey's next write still applies. Like migrate, it runs next to the database and Temporal
(database.url, or in dev the database kompeten dev uses). Exit code 3 when drift remains.`,
		Example: `  kompeten doctor
  kompeten doctor --repair -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := outputFormat(cmd)
			if err != nil {
				return err
			}
			c, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			logger := app.NewLogger(c.Log, cmd.ErrOrStderr())
			db, err := app.DevDatabase(ctx, c, logger)
			if err != nil {
				return err
			}
			defer func() { _ = db.Close(context.Background()) }()
			st, err := app.OpenStore(ctx, c, db.URL, false)
			if err != nil {
				return err
			}
			defer st.Close()
			tc, err := temporalclient.Dial(ctx, c, logger)
			if err != nil {
				return err
			}
			defer tc.Close()
			key, err := app.HashKey(c, false)
			if err != nil {
				return err
			}
			svc, err := starter.New(tc, st, c, key)
			if err != nil {
				return err
			}
			rep, err := svc.Doctor(ctx, repair)
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
			return nil
		},
	}
	cmd.Flags().BoolVar(&repair, "repair", false, "rewrite drifted read-model rows from the workflows' state")
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
}
