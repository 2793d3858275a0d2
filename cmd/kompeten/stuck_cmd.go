package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

func newStuckCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stuck",
		Short: "List stuck cases, the longest stuck first: why, since when, attempts, last error, who can unblock",
		Long: `Lists the cases the journeys have marked stuck: a wait past its SLA (a person's decision, a
partner's answer), a partner call that keeps failing (with its attempt count and last error),
or a missing MoU. Each line says who can unblock the case. Act on one with
kompeten retry CASE-ID (retry a failing partner call now) or kompeten escalate CASE-ID.`,
		Example: `  kompeten stuck
  kompeten stuck --centre BLK-SBY --reason partner-failing
  kompeten stuck --lsp LSP-BLK-SBY --stage certification -o json
  kompeten stuck --reason no-agreement --limit 500
  for id in $(kompeten stuck --reason partner-failing -o ids); do kompeten retry "$id"; done`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := outputFormat(cmd)
			if err != nil {
				return err
			}
			reason, _ := cmd.Flags().GetString("reason")
			if reason != "" && !slices.Contains(vocab.Reasons, vocab.Reason(reason)) {
				return fmt.Errorf("--reason must be one of %s, got %q", strings.Join(vocab.Strings(vocab.Reasons), ", "), reason)
			}
			f := apiclient.StuckFilter{Reason: vocab.Reason(reason)}
			f.Centre, _ = cmd.Flags().GetString("centre")
			f.LSP, _ = cmd.Flags().GetString("lsp")
			stage, _ := cmd.Flags().GetString("stage")
			f.Stage = vocab.Stage(stage)
			f.Limit, _ = cmd.Flags().GetInt("limit")
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			l, err := c.ListStuck(cmd.Context(), f)
			if err != nil {
				return err
			}
			switch o {
			case "json":
				return printJSON(cmd.OutOrStdout(), l)
			case outputIDs:
				ids := make([]string, len(l.Cases))
				for i, c := range l.Cases {
					ids[i] = c.CaseID
				}
				return printIDs(cmd.OutOrStdout(), ids)
			}
			return printStuck(cmd, l)
		},
	}
	f := cmd.Flags()
	f.String("centre", "", "centre code (BLK-SBY)")
	f.String("lsp", "", "LSP code")
	f.String("stage", "", "stage: enrolment, insurance, training, assessment, certification, placement")
	f.String("reason", "", "stuck reason: "+strings.Join(vocab.Strings(vocab.Reasons), ", "))
	f.Int("limit", 100, "at most this many cases (up to 1000)")
	addServerFlag(cmd)
	addOutputFlag(cmd, outputIDs)
	return cmd
}

func printStuck(cmd *cobra.Command, l api.StuckList) error {
	w := cmd.OutOrStdout()
	if l.Total == 0 {
		fmt.Fprintln(w, "nothing is stuck")
		return nil
	}
	rows := make([][]string, 0, len(l.Cases))
	for _, c := range l.Cases {
		who := string(c.Unblock.Role)
		if c.Unblock.Scope != "" {
			who += " " + c.Unblock.Scope
		}
		if c.EscalatedAt != nil {
			who += " (escalated " + ageOf(time.Since(*c.EscalatedAt)) + " ago)"
		}
		rows = append(rows, []string{c.CaseID, c.Centre, string(c.Stage), ageOf(time.Duration(c.AgeSeconds) * time.Second), string(c.Reason), who, c.Why})
	}
	if err := table(w, []string{"CASE", "CENTRE", "STAGE", "STUCK FOR", "REASON", "WHO CAN UNBLOCK", "WHY"}, rows); err != nil {
		return err
	}
	if l.Total > len(l.Cases) {
		fmt.Fprintf(w, "(%d of %d shown; narrow with --centre, --lsp, --stage, --reason or raise --limit)\n", len(l.Cases), l.Total)
	}
	return nil
}

// ageOf renders a duration for a person: 45s, 12m, 5h, 3d.
func ageOf(d time.Duration) string {
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

func newRetryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "retry CASE-ID",
		Short: "Retry a stuck case's failing partner call now (resets its backoff)",
		Long: `Asks Temporal to reset the case's failing calls (ResetActivity): the attempt count starts again
and a call waiting for its next attempt runs at once, so a case whose partner is back moves on
without waiting up to 10 minutes. Recorded in the case's event log with the token's identity.`,
		Example: `  kompeten retry k3f9x2m7qa
  kompeten stuck --reason partner-failing -o json | jq -r '.cases[].case_id' | xargs -n1 kompeten retry`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := opsAction(cmd, (*apiclient.Client).RetryCase, args[0], api.RetryRequest{})
			if err != nil {
				return err
			}
			if o, _ := outputFormat(cmd); o == "json" {
				return printJSON(cmd.OutOrStdout(), res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", res.CaseID, res.Message)
			return nil
		},
	}
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}

func newEscalateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "escalate CASE-ID",
		Short: "Escalate a stuck case: notify the role that can unblock it (log and notify.webhook_url)",
		Example: `  kompeten escalate k3f9x2m7qa --note "third day without an answer"
  kompeten escalate k3f9x2m7qa -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			note, _ := cmd.Flags().GetString("note")
			res, err := opsAction(cmd, (*apiclient.Client).EscalateCase, args[0], api.EscalateRequest{Note: note})
			if err != nil {
				return err
			}
			if o, _ := outputFormat(cmd); o == "json" {
				return printJSON(cmd.OutOrStdout(), res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", res.CaseID, res.Message)
			return nil
		},
	}
	cmd.Flags().String("note", "", "a note for the person notified")
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}

// opsAction sends a retry or an escalation; a refusal (nothing to retry, not stuck, a bad
// actor) is printed as the server worded it and ends with exit code 2.
func opsAction[B, R any](cmd *cobra.Command, send func(c *apiclient.Client, ctx context.Context, caseID string, body B) (R, error), caseID string, body B) (R, error) {
	var res R
	if _, err := outputFormat(cmd); err != nil {
		return res, err
	}
	c, err := newAPIClient(cmd)
	if err != nil {
		return res, err
	}
	res, err = send(c, cmd.Context(), caseID, body)
	return res, refused(cmd, err, apiclient.CodeConflict, apiclient.CodeRefused)
}
