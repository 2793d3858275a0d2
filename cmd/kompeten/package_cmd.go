package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

func newPackageCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "package", Short: "Create, change and list training packages"}
	cmd.AddCommand(newPackageCreateCmd(), newPackageUpdateCmd(), newPackageListCmd())
	return cmd
}

func newPackageCreateCmd() *cobra.Command {
	var req api.PackageRequest
	cmd := &cobra.Command{
		Use:   "create CODE",
		Short: "Create a training package",
		Long: `Creates a training package: one cohort of one trade at one centre, assessed by one LSP.
Dates are YYYY-MM-DD (training runs from the start of the first day to the end of the last, in
journey.timezone), RFC 3339 times, or +DURATION from now for demonstrations. The scheme must be
one with units of competence in the registry (GET /api/v1/schemes: SKM-LAS, SKM-OTO, SKM-JAHIT
in the sample registry); another is refused.`,
		Example: `  kompeten package create SBY-LAS-2027-01 --centre BLK-SBY --trade "Las (welding)" \
      --scheme SKM-LAS --lsp LSP-BLK-SBY --start 2027-02-01 --end 2027-03-31 --hours 240
  kompeten package create DEMO-1 --centre BLK-SBY --trade Demo --scheme SKM-LAS --lsp LSP-BLK-SBY \
      --start +1m --end +3m --auto-approve`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Code = args[0]
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			p, err := c.CreatePackage(cmd.Context(), req)
			if err != nil {
				return err
			}
			for _, w := range p.Warnings {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s\n", w)
			}
			return printPackages(cmd, []store.Package{p.Package})
		},
	}
	f := cmd.Flags()
	f.StringVar(&req.Centre, "centre", "", "training centre code (e.g. BLK-SBY)")
	f.StringVar(&req.Trade, "trade", "", "trade (kejuruan)")
	f.StringVar(&req.Scheme, "scheme", "", "certification scheme code, one with units of competence in the registry (e.g. SKM-LAS)")
	f.StringVar(&req.LSP, "lsp", "", "LSP that assesses the package (e.g. LSP-BLK-SBY)")
	f.StringVar(&req.Start, "start", "", "first training day")
	f.StringVar(&req.End, "end", "", "last training day")
	f.IntVar(&req.Hours, "hours", 0, "training hours (JP)")
	f.IntVar(&req.Capacity, "capacity", 0, "seats (default journey.default_capacity, 16)")
	f.Float64Var(&req.AttendanceMin, "attendance-min", 0, "minimum attendance share to graduate (default journey.default_attendance, 0.8)")
	f.BoolVar(&req.AutoApprove, "auto-approve", false, "approve enrolments automatically when every rule passes")
	for _, n := range []string{"centre", "trade", "scheme", "lsp", "start", "end"} {
		_ = cmd.MarkFlagRequired(n)
	}
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}

func newPackageUpdateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "update CODE --capacity N",
		Short: "Change a training package's capacity (coordinator)",
		Long: `Changes the number of seats of a package. A raise seats the cases on the package's waiting
list, first approved first, and names them; a capacity below the seats already taken is refused.`,
		Example: "  kompeten package update SBY-LAS-2027-01 --capacity 20",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("capacity") {
				return fmt.Errorf("nothing to change: give --capacity N")
			}
			n, _ := cmd.Flags().GetInt("capacity")
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			ch, err := c.UpdatePackage(cmd.Context(), args[0], n)
			if err != nil {
				return err
			}
			for _, id := range ch.MovedIn {
				fmt.Fprintf(cmd.ErrOrStderr(), "moved in from the waiting list: %s\n", id)
			}
			return printPackages(cmd, []store.Package{ch.Package})
		},
	}
	cmd.Flags().Int("capacity", 0, "the package's seats")
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}

func newPackageListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List training packages",
		Example: "  kompeten package list\n  kompeten package list --centre BLK-SBY -o json",
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			centre, _ := cmd.Flags().GetString("centre")
			ps, err := c.ListPackages(cmd.Context(), centre)
			if err != nil {
				return err
			}
			return printPackages(cmd, ps)
		},
	}
	cmd.Flags().String("centre", "", "only this centre's packages")
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}

func printPackages(cmd *cobra.Command, ps []store.Package) error {
	o, err := outputFormat(cmd)
	if err != nil {
		return err
	}
	if o == "json" {
		return printJSON(cmd.OutOrStdout(), ps)
	}
	loc := displayLocation(cmd)
	rows := make([][]string, 0, len(ps))
	for _, p := range ps {
		rows = append(rows, []string{p.Code, p.CentreCode, p.Trade, p.Scheme, p.LSPCode,
			p.StartDate.In(loc).Format("2006-01-02 15:04"), p.EndDate.In(loc).Format("2006-01-02 15:04"),
			strconv.Itoa(p.Capacity), fmt.Sprintf("%.0f%%", p.AttendanceMin*100), strconv.FormatBool(p.AutoApprove)})
	}
	return table(cmd.OutOrStdout(), []string{"CODE", "CENTRE", "TRADE", "SCHEME", "LSP", "START", "END", "SEATS", "MIN ATTENDANCE", "AUTO"}, rows)
}
