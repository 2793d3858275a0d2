package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
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
		Use:   "update CODE [--capacity N] [--start DAY] [--end DAY] [--hours N] [--attendance-min F] [--auto-approve=BOOL] [--lsp CODE]",
		Short: "Change a training package (coordinator)",
		Long: `Changes the flags given, nothing else. A raise of the capacity seats the cases on the
package's waiting list, first approved first, and names them; a capacity below the seats already
taken is refused. The dates (only before training begins), the minimum attendance, automatic
approval and the LSP reach every running journey of the package: each applies what its stage still
allows and says on its timeline what it applied and what not. The answer lists each case with its
journey's words (sent), or why it was not told (refused, failed: the same flags again resend it;
a case that has the values answers that it has nothing to apply), and warns of
the agreements that do not cover the package on its dates. The scheme cannot change.`,
		Example: "  kompeten package update SBY-LAS-2027-01 --capacity 20\n" +
			"  kompeten package update SBY-LAS-2027-01 --start 2027-02-08 --end 2027-03-19 --attendance-min 0.75",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := packageUpdateFlags(cmd)
			if err != nil {
				return err
			}
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			ch, err := c.EditPackage(cmd.Context(), args[0], u)
			if err != nil {
				return err
			}
			printPackageEdited(cmd, ch)
			return printPackages(cmd, []store.Package{ch.Package})
		},
	}
	f := cmd.Flags()
	f.Int("capacity", 0, "the package's seats")
	f.String("start", "", "first training day (YYYY-MM-DD, DD-MM-YYYY, RFC 3339 or +DURATION)")
	f.String("end", "", "last training day (as --start)")
	f.Int("hours", 0, "training hours")
	f.Float64("attendance-min", 0, "minimum attendance to graduate, 0..1 (e.g. 0.8)")
	f.Bool("auto-approve", false, "approve enrolments automatically when every rule passes (--auto-approve=false to stop)")
	f.String("lsp", "", "the LSP that assesses the trainees")
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}

// packageUpdateFlags reads the flags given into the API's update; none given is refused here.
func packageUpdateFlags(cmd *cobra.Command) (api.PackageUpdate, error) {
	var u api.PackageUpdate
	f := cmd.Flags()
	if f.Changed("capacity") {
		n, _ := f.GetInt("capacity")
		u.Capacity = &n
	}
	for name, dst := range map[string]**string{"start": &u.Start, "end": &u.End, "lsp": &u.LSP} {
		if f.Changed(name) {
			v, _ := f.GetString(name)
			*dst = &v
		}
	}
	if f.Changed("hours") {
		n, _ := f.GetInt("hours")
		u.Hours = &n
	}
	if f.Changed("attendance-min") {
		v, _ := f.GetFloat64("attendance-min")
		u.AttendanceMin = &v
	}
	if f.Changed("auto-approve") {
		v, _ := f.GetBool("auto-approve")
		u.AutoApprove = &v
	}
	if u == (api.PackageUpdate{}) {
		return u, fmt.Errorf("nothing to change: give --capacity, --start, --end, --hours, --attendance-min, --auto-approve or --lsp")
	}
	return u, nil
}

// printPackageEdited writes what an edit changed, the cases it seated, the agreements missing
// and each case's answer to stderr (the package itself goes to stdout).
func printPackageEdited(cmd *cobra.Command, ch starter.PackageEdited) {
	w := cmd.ErrOrStderr()
	for _, c := range ch.Changes {
		fmt.Fprintf(w, "changed: %s\n", c)
	}
	for _, id := range ch.MovedIn {
		fmt.Fprintf(w, "moved in from the waiting list: %s\n", id)
	}
	for _, g := range ch.Warnings {
		fmt.Fprintf(w, "warning: %s\n", g)
	}
	for _, c := range ch.Cases {
		fmt.Fprintf(w, "case %s: %s: %s\n", c.CaseID, c.Outcome, c.Message)
	}
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
