package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

func newCaseCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "case", Short: "List, show and find cases"}
	cmd.AddCommand(newCaseListCmd(), newCaseShowCmd(), newCaseFindCmd())
	return cmd
}

func newCaseListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List cases (filters: package, centre, lsp, stage, status, stuck, name); says N of M shown",
		Example: `  kompeten case list --package SBY-LAS-2027-01
  kompeten case list --centre BLK-SBY --stage enrolment
  kompeten case list --stuck -o json
  kompeten case list --name "siti nur" --centre BLK-SBY
  kompeten case list --package SBY-LAS-2027-01 --all -o ids
  for id in $(kompeten case list --package SBY-LAS-2027-01 --stage training -o ids); do kompeten attend "$id" --absent 0; done`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			req := api.SearchRequest{}
			for flag, dst := range map[string]*string{"package": &req.Package, "centre": &req.Centre, "lsp": &req.LSP, "status": &req.Status, "name": &req.Name} {
				*dst, _ = cmd.Flags().GetString(flag)
			}
			stage, _ := cmd.Flags().GetString("stage")
			req.Stage = vocab.Stage(stage)
			req.Stuck, _ = cmd.Flags().GetBool("stuck")
			req.Offset, _ = cmd.Flags().GetInt("offset")
			limit, _ := cmd.Flags().GetInt("limit")
			all, _ := cmd.Flags().GetBool("all")
			if limit < 1 && !all {
				return fmt.Errorf("--limit must be at least 1 (or use --all)")
			}
			cs, total, err := fetchCases(cmd, c, req, limit, all)
			if err != nil {
				return err
			}
			// On stderr, so that -o ids and -o json stay clean for scripts.
			fmt.Fprintf(cmd.ErrOrStderr(), "%d of %d shown%s\n", len(cs), total, moreHint(req.Offset, len(cs), total))
			return printCases(cmd, cs)
		},
	}
	f := cmd.Flags()
	f.String("package", "", "package code")
	f.String("centre", "", "centre code")
	f.String("lsp", "", "LSP code")
	f.String("stage", "", "stage: enrolment, insurance, training, assessment, certification, placement, closed")
	f.String("status", "", "open or closed")
	f.Bool("stuck", false, "only stuck cases")
	f.String("name", "", "only cases of people whose name holds these words (sent in the request body, never in a URL)")
	f.Int("limit", 100, "at most this many cases")
	f.Int("offset", 0, "skip this many cases (the next page: --offset 100)")
	f.Bool("all", false, "every matching case, however many (ignores --limit)")
	addServerFlag(cmd)
	addOutputFlag(cmd, outputIDs)
	return cmd
}

// casePageSize is the most cases one search request asks for.
const casePageSize = 1000

// fetchCases reads up to limit cases from req.Offset on (all of them with all), a page at a
// time, and the total that match.
func fetchCases(cmd *cobra.Command, c *apiclient.Client, req api.SearchRequest, limit int, all bool) ([]store.Case, int, error) {
	var out []store.Case
	total := 0
	for {
		req.Limit = casePageSize
		if !all {
			req.Limit = min(casePageSize, limit-len(out))
		}
		page, err := c.SearchCases(cmd.Context(), req)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, page.Cases...)
		total = page.Total
		req.Offset += len(page.Cases)
		if len(page.Cases) == 0 || req.Offset >= total || (!all && len(out) >= limit) {
			return out, total, nil
		}
	}
}

// moreHint says how to see the rest when a list is cut.
func moreHint(offset, shown, total int) string {
	if offset+shown >= total {
		return ""
	}
	return fmt.Sprintf(" (cases %d-%d; the next page: --offset %d, or --all)", offset+1, offset+shown, offset+shown)
}

func printCases(cmd *cobra.Command, cs []store.Case) error {
	o, err := outputFormat(cmd)
	if err != nil {
		return err
	}
	switch o {
	case "json":
		return printJSON(cmd.OutOrStdout(), cs)
	case outputIDs:
		ids := make([]string, len(cs))
		for i, c := range cs {
			ids[i] = c.CaseID
		}
		return printIDs(cmd.OutOrStdout(), ids)
	}
	rows := make([][]string, 0, len(cs))
	for _, c := range cs {
		state := string(c.Stage)
		if c.Outcome != "" {
			state += " (" + string(c.Outcome) + ")"
		}
		stuck := ""
		if c.Stuck {
			stuck = c.StuckReason
		}
		name := ""
		if c.Person != nil {
			name = c.Person.Name
		}
		rows = append(rows, []string{c.CaseID, c.PackageCode, c.CentreCode, state, string(c.WaitingOn), since(c.StageEnteredAt), stuck, name})
	}
	return table(cmd.OutOrStdout(), []string{"CASE", "PACKAGE", "CENTRE", "STAGE", "WAITING ON", "IN STAGE", "STUCK", "NAME"}, rows)
}

// since renders how long ago t was, roughly.
func since(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	default:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
}

func newCaseShowCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "show CASE-ID",
		Short:   "Show a case's state and the timeline of its events",
		Example: "  kompeten case show k3f9x2m7qa\n  kompeten case show k3f9x2m7qa -o json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			v, err := c.GetCase(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			o, err := outputFormat(cmd)
			if err != nil {
				return err
			}
			if o == "json" {
				return printJSON(cmd.OutOrStdout(), v)
			}
			return printCaseView(cmd, v)
		},
	}
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}

func printCaseView(cmd *cobra.Command, v api.CaseView) error {
	w := cmd.OutOrStdout()
	loc := displayLocation(cmd)
	c := v.Case
	fmt.Fprintf(w, "Case %s  package %s  centre %s  LSP %s\n", c.CaseID, c.PackageCode, c.CentreCode, c.LSPCode)
	fmt.Fprintf(w, "Stage: %s since %s", c.Stage, c.StageEnteredAt.In(loc).Format("2006-01-02 15:04:05"))
	if c.Outcome != "" {
		fmt.Fprintf(w, "  outcome: %s", c.Outcome)
	}
	fmt.Fprintln(w)
	if c.WaitingOn != "" {
		fmt.Fprintf(w, "Waiting on: %s\n", c.WaitingOn)
	}
	if c.Stuck {
		fmt.Fprintf(w, "STUCK since %s: %s\n", c.StuckSince.In(loc).Format("2006-01-02 15:04"), c.StuckReason)
	}
	if c.Attempts > 0 {
		fmt.Fprintf(w, "Partner attempts: %d, last error: %s\n", c.Attempts, c.LastError)
	}
	if c.KPJ != "" {
		fmt.Fprintf(w, "KPJ: %s\n", c.KPJ)
	}
	if c.CertificateNo != "" {
		fmt.Fprintf(w, "Certificate: %s\n", c.CertificateNo)
	}
	if s := v.State; s != nil {
		if len(s.Enrolment.Problems) > 0 {
			fmt.Fprintf(w, "Enrolment rules not met: %s\n", strings.Join(s.Enrolment.Problems, "; "))
		}
		if len(s.Enrolment.Warnings) > 0 {
			fmt.Fprintf(w, "Warnings: %s\n", strings.Join(s.Enrolment.Warnings, "; "))
		}
		if s.Training.Days > 0 && (s.Stage == vocab.StageTraining || s.Training.Graduated || s.Outcome == vocab.OutcomeNotGraduated) {
			fmt.Fprintf(w, "Attendance: %.0f%% of %d days (minimum %.0f%%)\n", s.Training.Rate*100, s.Training.Days, s.Training.Minimum*100)
		}
		if sc := s.Assessment.Schedule; sc != nil {
			fmt.Fprintf(w, "Assessment: %s on %s at %s, assessor %s\n", sc.AssessmentID, sc.Date.In(loc).Format("2006-01-02 15:04"), sc.TUK, sc.Assessor)
			if len(sc.Units) > 0 {
				fmt.Fprintf(w, "Units assessed: %s\n", strings.Join(sc.Units, ", "))
			}
		}
		if len(s.Assessment.BKUnits) > 0 {
			fmt.Fprintf(w, "BK units: %s\n", strings.Join(s.Assessment.BKUnits, ", "))
		}
		if u := s.Certification.Uncertified; u != nil {
			fmt.Fprintf(w, "No certificate: decided by %s (%s): %s\n", u.Actor.ID, u.Actor.Role, u.Reason)
		}
	} else if v.StateError != "" {
		fmt.Fprintf(w, "(live state unavailable: %s)\n", v.StateError)
	}
	fmt.Fprintln(w, "\nTimeline:")
	rows := make([][]string, 0, len(v.Events))
	for _, e := range v.Events {
		actor := ""
		if e.ActorID != "" {
			actor = e.ActorID + " (" + string(e.ActorRole) + ")"
		}
		rows = append(rows, []string{e.At.In(loc).Format("2006-01-02 15:04:05"), string(e.Stage), e.Kind, actor, e.Detail})
	}
	return table(w, []string{"  WHEN", "STAGE", "EVENT", "BY", "DETAIL"}, rows)
}

func newCaseFindCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "find",
		Short: "Find a person's cases by NIK (read from standard input or --nik; hashed, never sent in a URL)",
		Example: `  echo 3515010101900001 | kompeten case find
  kompeten case find --nik 3515010101900001`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n, _ := cmd.Flags().GetString("nik")
			if n == "" {
				var s string
				if _, err := fmt.Fscanln(cmd.InOrStdin(), &s); err != nil {
					return fmt.Errorf("give the NIK with --nik or on standard input")
				}
				n = s
			}
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			cs, err := c.LookupCases(cmd.Context(), n)
			if err != nil {
				return err
			}
			return printCases(cmd, cs)
		},
	}
	cmd.Flags().String("nik", "", "the NIK (16 digits); prefer standard input so it stays out of shell history")
	addServerFlag(cmd)
	addOutputFlag(cmd, outputIDs)
	return cmd
}
