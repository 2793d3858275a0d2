package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
)

func newSetupCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "setup",
		Short: "Create kompeten's Temporal namespace and search attributes on an existing cluster",
		Long: `Registers temporal.namespace with temporal.retention when it does not exist (or sets the
retention when it differs) and adds every custom search attribute kompeten uses, through the
Temporal operator API. Safe to run again: what is already there is left alone. Needs only the
temporal.* keys (address, TLS or API key); kompeten serve and kompeten worker check at start
that all of it is there.`,
		Example: `  KOMPETEN_TEMPORAL_ADDRESS=temporal.internal:7233 KOMPETEN_TEMPORAL_NAMESPACE=kompeten kompeten setup`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			logger := app.NewLogger(c.Log, os.Stderr)
			ctx, cancel := context.WithTimeout(cmd.Context(), 3*time.Minute)
			defer cancel()
			tc, err := temporalclient.DialAdmin(ctx, c, logger)
			if err != nil {
				return err
			}
			defer tc.Close()
			spec := app.NamespaceSpec(c)
			changes, err := temporalclient.EnsureNamespace(ctx, tc, spec)
			out := cmd.OutOrStdout()
			for _, ch := range changes {
				fmt.Fprintln(out, ch)
			}
			if err != nil {
				return err
			}
			if err := temporalclient.CheckNamespace(ctx, tc, spec); err != nil {
				return fmt.Errorf("after setup: %w", err)
			}
			if len(changes) == 0 {
				fmt.Fprintf(out, "namespace %s on %s already set up: nothing to change\n", spec.Name, c.Temporal.Address)
				return nil
			}
			fmt.Fprintf(out, "namespace %s on %s set up: retention %s, %d search attributes\n", spec.Name, c.Temporal.Address, spec.Retention, len(spec.SearchAttributes))
			return nil
		},
	}
}
