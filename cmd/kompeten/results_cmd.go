package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/internal/xlsxsafe"
	"github.com/bpvp-sidoarjo/kompeten/results"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// newResultsCmd groups the LSP's result file: the CLI side of the assessments page's upload.
func newResultsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "results import FILE",
		Short: "Record an LSP's assessment result file (CSV or XLSX, one row per person and unit) for many cases",
	}
	cmd.AddCommand(newResultsImportCmd())
	return cmd
}

func newResultsImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Send one assessment result per case of an LSP's result file and print every row's outcome",
		Long: `Reads the LSP's result file — CSV (',' ';' or tab, a BOM allowed) or XLSX — with one row per
person and unit and the columns case_id, unit, result (K or BK) and assessor (README: "Assessment
results from the pages"), within the cohort import's spreadsheet limits, and records each
case's rows as one result, exactly as kompeten assess does. Every row's outcome is printed:
recorded, refused (the journey's words: a partial result names the missing units), rejected
(the row itself) or not-sent (another row of its case was rejected). Exit code 1 when any row
was not recorded. The same file again records nothing twice.`,
		Example: `  kompeten results import hasil-uji-lsp.xlsx
  kompeten results import hasil.csv -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			data, err := io.ReadAll(io.LimitReader(f, xlsxsafe.MaxFileBytes+1))
			if err != nil {
				return fmt.Errorf("read %s: %w", args[0], err)
			}
			if len(data) > xlsxsafe.MaxFileBytes {
				return fmt.Errorf("%s is over %d MiB; split it", args[0], xlsxsafe.MaxFileBytes>>20)
			}
			rows, err := results.Read(filepath.Base(args[0]), data)
			if err != nil {
				return fmt.Errorf("read %s: %w", args[0], err)
			}
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			out := results.Apply(cmd.Context(), rows, actorFrom(cmd), c.RecordAssessment)
			if err := printResults(cmd, out); err != nil {
				return err
			}
			if n := results.Counts(out); n[results.Recorded] < len(out) {
				return &exitError{code: exitFailure}
			}
			return nil
		},
	}
	addActorFlags(cmd, vocab.RoleLSPManager)
	return cmd
}

// printResults prints every row's outcome, then the counts on stderr.
func printResults(cmd *cobra.Command, out []results.RowOutcome) error {
	if o, _ := outputFormat(cmd); o == "json" {
		return printJSON(cmd.OutOrStdout(), out)
	}
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LINE\tCASE\tUNIT\tRESULT\tOUTCOME\tMESSAGE")
	for _, o := range out {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", o.Line, o.CaseID, o.Unit, o.Result, o.Outcome, o.Message)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	n := results.Counts(out)
	fmt.Fprintf(cmd.ErrOrStderr(), "%d rows:", len(out))
	for _, o := range results.Outcomes {
		if n[o] > 0 {
			fmt.Fprintf(cmd.ErrOrStderr(), " %d %s", n[o], o)
		}
	}
	fmt.Fprintln(cmd.ErrOrStderr())
	return nil
}
