package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// addActorFlags adds --actor and --role; defaultRole is the role that usually does the step.
func addActorFlags(cmd *cobra.Command, defaultRole vocab.Role) {
	cmd.Flags().String("actor", "", "who does this (env KOMPETEN_ACTOR; default $USER); ignored by a server that requires tokens: the token says who")
	cmd.Flags().String("role", string(defaultRole), "the actor's role: centre-admin, lsp-manager, assessor, insurer-liaison, coordinator, operator")
	addServerFlag(cmd)
	addOutputFlag(cmd)
}

func actorFrom(cmd *cobra.Command) workflows.Actor {
	id, _ := cmd.Flags().GetString("actor")
	if id == "" {
		id = os.Getenv("KOMPETEN_ACTOR")
	}
	if id == "" {
		id = os.Getenv("USER")
	}
	if id == "" {
		id = "cli"
	}
	role, _ := cmd.Flags().GetString("role")
	return workflows.Actor{ID: id, Role: vocab.Role(role)}
}

// step is one human step of the client: a method such as (*apiclient.Client).DecideEnrolment.
type step[B any] func(c *apiclient.Client, ctx context.Context, caseID string, body B) (workflows.UpdateResult, error)

// sendAction sends a human step and prints the journey's answer; a refusal is printed as the
// workflow worded it and ends the command with exit code 2, as is a step on a closed case (409).
func sendAction[B any](cmd *cobra.Command, send step[B], caseID string, body B) error {
	c, err := newAPIClient(cmd)
	if err != nil {
		return err
	}
	res, err := send(c, cmd.Context(), caseID, body)
	if err != nil {
		return refused(cmd, err, apiclient.CodeRefused, apiclient.CodeConflict)
	}
	return printResult(cmd, res)
}

// printResult prints the journey's answer to a step.
func printResult(cmd *cobra.Command, res workflows.UpdateResult) error {
	if o, _ := outputFormat(cmd); o == "json" {
		return printJSON(cmd.OutOrStdout(), res)
	}
	_, err := fmt.Fprintf(cmd.OutOrStdout(), "%s: %s (stage %s)\n", res.CaseID, res.Message, res.Stage)
	return err
}

func newAttendCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "attend CASE-ID | attend --package CODE --date DAY",
		Short: "Record a day's register for a package (who was present, who was absent), or one case's running count",
		Long: `With --package and --date, records one training day's register for the whole package:
every trainee in training is listed once, with --present and --absent (case IDs) or a CSV file
(--file, columns case_id and present: yes/no, hadir/absen, 1/0). Recording a day again
replaces it. Each trainee's running count is recomputed over every recorded day and sent to
their journey; the answer lists every case. With --package alone, shows the register: the
training days recorded and missing, and each trainee's count.

With a CASE-ID, records that case's running count (--days attended, or --absent days missed).`,
		Example: `  kompeten attend --package SBY-LAS-1 --date 2027-02-03 --present k3f9x2m7qa,p2m4x7qa5b --absent zz4x2m7qa3
  kompeten attend --package SBY-LAS-1 --date today --file presensi-hari-ini.csv
  kompeten attend --package SBY-LAS-1
  kompeten attend k3f9x2m7qa --days 18
  kompeten attend k3f9x2m7qa --absent 2`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if pkg, _ := cmd.Flags().GetString("package"); pkg != "" {
				if len(args) > 0 {
					return errors.New("give either a CASE-ID or --package, not both")
				}
				return runRegister(cmd, pkg)
			}
			if len(args) == 0 {
				return errors.New("give a CASE-ID, or --package CODE --date DAY for a day's register")
			}
			at := workflows.Attendance{Actor: actorFrom(cmd)}
			if cmd.Flags().Changed("days") {
				d, _ := cmd.Flags().GetInt("days")
				at.Attended = &d
			}
			if cmd.Flags().Changed("absent") {
				v, _ := cmd.Flags().GetString("absent")
				d, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil {
					return fmt.Errorf("--absent with a CASE-ID is a number of days missed, got %q", v)
				}
				at.Absent = &d
			}
			return sendAction(cmd, (*apiclient.Client).RecordAttendance, args[0], at)
		},
	}
	cmd.Flags().Int("days", 0, "with CASE-ID: days attended so far")
	cmd.Flags().String("absent", "", "with CASE-ID: days missed so far; with --package: the case IDs absent (comma-separated)")
	cmd.Flags().String("package", "", "record (or, without --date, show) the register of this package")
	cmd.Flags().String("date", "", "the training day of the register: YYYY-MM-DD, today, -1d")
	cmd.Flags().StringSlice("present", nil, "with --package: the case IDs present (comma-separated or repeated)")
	cmd.Flags().String("file", "", "with --package: a CSV of case_id,present for the day")
	addActorFlags(cmd, vocab.RoleCentreAdmin)
	return cmd
}

func newWithdrawCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "withdraw CASE-ID",
		Short:   "Withdraw a participant (drop-out); ends insurance coverage early",
		Example: `  kompeten withdraw k3f9x2m7qa --reason "moved to Malang for work"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reason, _ := cmd.Flags().GetString("reason")
			return sendAction(cmd, (*apiclient.Client).Withdraw, args[0], workflows.Withdrawal{Actor: actorFrom(cmd), Reason: reason})
		},
	}
	cmd.Flags().String("reason", "", "why the participant leaves (required)")
	_ = cmd.MarkFlagRequired("reason")
	addActorFlags(cmd, vocab.RoleCentreAdmin)
	return cmd
}

func newAssessCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "assess CASE-ID",
		Short: "Record an assessment result: K or BK for every unit assessed (--unit CODE=K|BK, or --result for all)",
		Long: `Records an assessor's result. It must give K or BK for every unit assessed, once each:
every unit of the package's scheme at the first assessment, the BK units at a re-assessment
(kompeten case show lists them). A partial result is refused naming the missing units.`,
		Example: `  kompeten assess k3f9x2m7qa --result K --assessor ASR-001 --unit LOG.OO01.002.01 --unit LOG.OO01.003.01 ...
  kompeten assess k3f9x2m7qa --assessor ASR-001 --unit LOG.OO01.002.01=K --unit LOG.OO18.002.01=BK ...`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			result, _ := cmd.Flags().GetString("result")
			units, _ := cmd.Flags().GetStringSlice("unit")
			assessor, _ := cmd.Flags().GetString("assessor")
			r := workflows.AssessmentResult{Actor: actorFrom(cmd), AssessorID: assessor}
			for _, u := range units {
				code, res, ok := strings.Cut(u, "=")
				if !ok {
					res = result
				}
				r.Units = append(r.Units, workflows.UnitResult{Unit: code, Result: strings.ToUpper(res)})
			}
			if len(units) == 0 {
				return errors.New("give the units assessed with --unit (CODE or CODE=K|BK)")
			}
			return sendAction(cmd, (*apiclient.Client).RecordAssessment, args[0], r)
		},
	}
	cmd.Flags().String("result", "", "K or BK for every --unit given without its own result")
	cmd.Flags().StringSlice("unit", nil, "unit code, optionally CODE=K|BK; repeat per unit")
	cmd.Flags().String("assessor", "", "assessor id (required)")
	_ = cmd.MarkFlagRequired("assessor")
	addActorFlags(cmd, vocab.RoleAssessor)
	return cmd
}

func newPlaceCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "place CASE-ID",
		Short: "Report a placement: formal (with employer), informal, self-employed or continuing-study",
		Example: `  kompeten place k3f9x2m7qa --category formal --employer "PT Maju Jaya" --start 2027-05-02
  kompeten place k3f9x2m7qa --category self-employed --employer "Bengkel Las Sumber Rejeki"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, _ := cmd.Flags().GetString("category")
			emp, _ := cmd.Flags().GetString("employer")
			startS, _ := cmd.Flags().GetString("start")
			// Without --start, today: the day the follow-up form fills in, not this instant.
			start, err := parseDay(cmd, startS)
			if err != nil {
				return fmt.Errorf("--start: use YYYY-MM-DD: %w", err)
			}
			return sendAction(cmd, (*apiclient.Client).ReportPlacement, args[0], workflows.PlacementReport{Actor: actorFrom(cmd), Category: vocab.Placement(cat), Employer: emp, Start: start})
		},
	}
	cmd.Flags().String("category", "", "formal, informal, self-employed or continuing-study")
	cmd.Flags().String("employer", "", "employer or business name (required for formal)")
	cmd.Flags().String("start", "", "start date YYYY-MM-DD, a day in journey.timezone (default today)")
	_ = cmd.MarkFlagRequired("category")
	addActorFlags(cmd, vocab.RoleCentreAdmin)
	return cmd
}
