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
		Short: "List cases (filters: package, centre, lsp, stage, status, stuck)",
		Example: `  kompeten case list --package SBY-LAS-2027-01
  kompeten case list --centre BLK-SBY --stage enrolment
  kompeten case list --stuck -o json
  for id in $(kompeten case list --package SBY-LAS-2027-01 --stage training -o ids); do kompeten attend "$id" --absent 0; done`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			f := apiclient.CaseFilter{}
			for flag, dst := range map[string]*string{"package": &f.Package, "centre": &f.Centre, "lsp": &f.LSP, "status": &f.Status} {
				*dst, _ = cmd.Flags().GetString(flag)
			}
			stage, _ := cmd.Flags().GetString("stage")
			f.Stage = vocab.Stage(stage)
			f.Stuck, _ = cmd.Flags().GetBool("stuck")
			f.Limit, _ = cmd.Flags().GetInt("limit")
			cs, err := c.ListCases(cmd.Context(), f)
			if err != nil {
				return err
			}
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
	f.Int("limit", 100, "at most this many cases")
	addServerFlag(cmd)
	addOutputFlag(cmd, outputIDs)
	return cmd
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
		rows = append(rows, []string{c.CaseID, c.PackageCode, c.CentreCode, state, string(c.WaitingOn), since(c.StageEnteredAt), stuck})
	}
	return table(cmd.OutOrStdout(), []string{"CASE", "PACKAGE", "CENTRE", "STAGE", "WAITING ON", "IN STAGE", "STUCK"}, rows)
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
