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
spreadsheet for the branch office (a trainee withdrawn before it goes out is left out), and
who took each file is recorded ("exports" lists them); "import" reads the spreadsheet they
return with the KPJ numbers filled in and delivers each number to its waiting case. A KPJ
returned for two people is delivered to neither (conflict); one returned for a trainee who
withdrew meanwhile is kept, flagged, and the BPJS liaison is asked to have it cancelled.`,
	}
	cmd.AddCommand(newInsuranceExportCmd(), newInsuranceImportCmd(), newInsuranceExportsCmd())
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
			if id := f.Header.Get("X-Kompeten-Export"); id != "" {
				fmt.Fprintf(cmd.OutOrStdout(), "recorded as file %s, taken by you (kompeten insurance exports)\n", id)
			}
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

func newInsuranceExportsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "exports",
		Short:   "List the BPJS batch files taken: who took each, when, how many rows",
		Example: "  kompeten insurance exports\n  kompeten insurance exports --limit 10 -o json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			limit, _ := cmd.Flags().GetInt("limit")
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			es, err := c.ListBatchExports(cmd.Context(), limit)
			if err != nil {
				return err
			}
			if o, _ := outputFormat(cmd); o == "json" {
				return printJSON(cmd.OutOrStdout(), es)
			}
			loc := displayLocation(cmd)
			rows := make([][]string, 0, len(es))
			for _, e := range es {
				rows = append(rows, []string{strconv.FormatInt(e.ID, 10), e.TakenAt.In(loc).Format("2006-01-02 15:04"),
					e.TakenBy, string(e.TakenRole), strconv.Itoa(e.Rows)})
			}
			return table(cmd.OutOrStdout(), []string{"FILE", "TAKEN AT", "BY", "ROLE", "ROWS"}, rows)
		},
	}
	cmd.Flags().Int("limit", 0, "at most this many files, newest first (default: the server's, 100)")
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}
