package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

func newInsuranceCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "insurance",
		Short: "BPJS Ketenagakerjaan batch exchange for branch offices without an API",
		Long: `With partners.bpjs.adapter: batch, registrations wait in a queue. "export" writes them to a
spreadsheet for the branch office; "import" reads the spreadsheet they return with the KPJ
numbers filled in and delivers each number to its waiting case.`,
	}
	cmd.AddCommand(newInsuranceExportCmd(), newInsuranceImportCmd())
	return cmd
}

func newInsuranceExportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "export",
		Short:   "Write the pending BPJS registrations to a spreadsheet",
		Example: "  kompeten insurance export --out pendaftaran-bpjs.xlsx",
		RunE: func(cmd *cobra.Command, _ []string) error {
			out, _ := cmd.Flags().GetString("out")
			if out == "" {
				out = "bpjs-pendaftaran-" + time.Now().Format("20060102-1504") + ".xlsx"
			}
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			f, err := c.ExportBatch(cmd.Context())
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, f.Data, 0o600); err != nil {
				return fmt.Errorf("write %s: %w", out, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s registrations written to %s (it holds NIKs: hand it over securely)\n", f.Header.Get("X-Kompeten-Rows"), out)
			return nil
		},
	}
	cmd.Flags().String("out", "", "spreadsheet to write (default bpjs-pendaftaran-<time>.xlsx)")
	addServerFlag(cmd)
	return cmd
}

func newInsuranceImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "import FILE",
		Short:   "Deliver the KPJ numbers of a returned spreadsheet to their cases",
		Example: "  kompeten insurance import pendaftaran-bpjs-kembali.xlsx --actor rina",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			a := actorFrom(cmd)
			resp, err := c.ImportBatch(cmd.Context(), a.ID, data)
			if err != nil {
				return err
			}
			if o, _ := outputFormat(cmd); o == "json" {
				return printJSON(cmd.OutOrStdout(), resp)
			}
			rows := make([][]string, 0, len(resp.Rows))
			for _, r := range resp.Rows {
				rows = append(rows, []string{strconv.Itoa(r.Row), r.CaseRef, r.Outcome, r.Reason})
			}
			return table(cmd.OutOrStdout(), []string{"ROW", "CASE", "OUTCOME", "REASON"}, rows)
		},
	}
	addActorFlags(cmd, vocab.RoleInsurerLiaison)
	return cmd
}
