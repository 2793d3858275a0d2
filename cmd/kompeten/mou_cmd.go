package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

func newMoUCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mou",
		Short: "MoUs and implementing agreements (PKS): list, show, create, sign, amend, renew, terminate",
		Long: `Every MoU with a partner (the insurer, each LSP) and every PKS under an MoU is a long-lived
workflow: signed, in force from its first day, reminders to the coordinator before its end,
amended, renewed by a successor, expired or terminated early. Journeys need an active agreement
with their partner; one that finds none waits (stuck, with the missing agreement named) and
continues by itself the moment one becomes active.

Numbers carry slashes; quote them as they are. Dates are YYYY-MM-DD, DD-MM-YYYY, today or +30d.`,
	}
	cmd.AddCommand(newMoUListCmd(), newMoUShowCmd(), newMoUCreateCmd(), newMoUSignCmd(), newMoUAmendCmd(),
		newMoURenewCmd(), newMoUTerminateCmd())
	return cmd
}

func newMoUListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List agreements with status, days to expiry and the live cases depending on each",
		Example: `  kompeten mou list
  kompeten mou list --partner LSP-BLK-SBY --live -o json`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			f := apiclient.MoUFilter{}
			for flag, dst := range map[string]*string{"partner": &f.Partner, "status": &f.Status, "kind": &f.Kind} {
				*dst, _ = cmd.Flags().GetString(flag)
			}
			f.Live, _ = cmd.Flags().GetBool("live")
			vs, err := c.ListMoUs(cmd.Context(), f)
			if err != nil {
				return err
			}
			o, err := outputFormat(cmd)
			if err != nil {
				return err
			}
			if o == "json" {
				return printJSON(cmd.OutOrStdout(), vs)
			}
			return printAgreements(cmd.OutOrStdout(), vs)
		},
	}
	cmd.Flags().String("partner", "", "only this partner's agreements")
	cmd.Flags().String("status", "", "only this status (draft, signed, active, expiring, expired, renewed, terminated)")
	cmd.Flags().String("kind", "", "mou or pks")
	cmd.Flags().Bool("live", false, "only agreements not ended")
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}

func printAgreements(w io.Writer, vs []starter.AgreementView) error {
	rows := make([][]string, 0, len(vs))
	for _, v := range vs {
		days := "-"
		if v.DaysToExpiry != nil {
			days = strconv.Itoa(*v.DaysToExpiry)
		}
		mark := ""
		if v.Highlight {
			mark = "!"
		}
		rows = append(rows, []string{mark, v.Number, v.Kind, v.PartnerCode, v.Status,
			v.ValidFrom.Format("2006-01-02"), v.LastDay.Format("2006-01-02"), days,
			strconv.Itoa(v.DependentCases), strings.Join(v.Attention, "; ")})
	}
	return table(w, []string{"", "NUMBER", "KIND", "PARTNER", "STATUS", "FROM", "LAST DAY", "DAYS LEFT", "CASES", "ATTENTION"}, rows)
}

func newMoUShowCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "show NUMBER",
		Short:   "Show an agreement: scope, signatories, its log, its PKS and the cases depending on it",
		Example: `  kompeten mou show MOU/BPVP-SDA/LSP-BLK-SBY/2023`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			d, err := c.GetMoU(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if o, _ := outputFormat(cmd); o == "json" {
				return printJSON(cmd.OutOrStdout(), d)
			}
			return printAgreementDetail(cmd, d)
		},
	}
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}

func printAgreementDetail(cmd *cobra.Command, d starter.AgreementDetail) error {
	w := cmd.OutOrStdout()
	loc := displayLocation(cmd)
	days := "-"
	if d.DaysToExpiry != nil {
		days = strconv.Itoa(*d.DaysToExpiry)
	}
	signed := "not signed"
	if d.SignedOn != nil {
		signed = d.SignedOn.Format("2006-01-02")
		if len(d.Signatories) > 0 {
			signed += " by " + strings.Join(d.Signatories, "; ")
		}
	}
	lines := [][2]string{
		{"number", d.Number}, {"kind", d.Kind}, {"partner", d.PartnerCode + " (" + d.PartnerKind + ")"},
		{"title", d.Title}, {"parent MoU", d.Parent}, {"status", d.Status}, {"signed", signed},
		{"valid", d.ValidFrom.Format("2006-01-02") + " to " + d.ValidUntil.Format("2006-01-02")},
		{"last day", d.LastDay.Format("2006-01-02") + " (" + days + " days left)"},
		{"centres", listOrAll(d.Centres)}, {"schemes", listOrAll(d.Schemes)}, {"test sites", listOrAll(d.TestSites)},
		{"predecessor", d.Predecessor}, {"successor", d.Successor}, {"end reason", d.EndReason},
		{"amendments", strconv.Itoa(d.Amendments)}, {"dependent cases", strconv.Itoa(d.DependentCases)},
	}
	for _, l := range lines {
		if l[1] != "" {
			fmt.Fprintf(w, "%-16s %s\n", l[0]+":", l[1])
		}
	}
	for _, a := range d.Attention {
		fmt.Fprintf(w, "%-16s %s\n", "ATTENTION:", a)
	}
	fmt.Fprintln(w, "\nlog:")
	rows := make([][]string, 0, len(d.Events))
	for _, e := range d.Events {
		rows = append(rows, []string{e.At.In(loc).Format("2006-01-02 15:04"), e.Kind, e.ActorID, e.Detail})
	}
	if err := table(w, []string{"AT", "KIND", "BY", "DETAIL"}, rows); err != nil {
		return err
	}
	if len(d.PKS) > 0 {
		fmt.Fprintln(w, "\nPKS under it:")
		if err := printAgreements(w, d.PKS); err != nil {
			return err
		}
	}
	if len(d.Cases) > 0 {
		fmt.Fprintln(w, "\ncases depending on it:")
		return dependentsTable(w, d.Cases)
	}
	return nil
}

// dependentsTable prints the live cases that depend on an agreement.
func dependentsTable(w io.Writer, cases []store.AgreementCase) error {
	rows := make([][]string, 0, len(cases))
	for _, c := range cases {
		rows = append(rows, []string{c.CaseID, c.PackageCode, c.CentreCode, string(c.Stage), string(c.WaitingOn), c.StuckReason})
	}
	return table(w, []string{"CASE", "PACKAGE", "CENTRE", "STAGE", "WAITING ON", "STUCK"}, rows)
}

func listOrAll(xs []string) string {
	if len(xs) == 0 {
		return "all"
	}
	return strings.Join(xs, ", ")
}

func newMoUCreateCmd() *cobra.Command {
	var req api.MoURequest
	cmd := &cobra.Command{
		Use:   "create NUMBER",
		Short: "Create an MoU (or, with --under, a PKS): a draft, or signed at once with --signed-on",
		Example: `  kompeten mou create "MOU/BPVP-SDA/LSP-BLK-SBY/2026" --partner LSP-BLK-SBY --from 2026-12-01 --until 2031-11-30 \
      --scheme SKM-LAS-SMAW --signed-on today --signatory "Kepala BPVP Sidoarjo" --signatory "Ketua LSP BLK Surabaya"
  kompeten mou create "PKS/BLK-SBY/LSP-BLK-SBY/2026" --under "MOU/BPVP-SDA/LSP-BLK-SBY/2026" --centre BLK-SBY \
      --from 2026-12-01 --until 2027-11-30`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Number = args[0]
			req.Actor = actorFrom(cmd)
			if req.Parent != "" {
				req.Kind = agreement.KindPKS
			}
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			a, err := c.CreateMoU(cmd.Context(), req)
			if err != nil {
				return refused(cmd, err, apiclient.CodeRefused)
			}
			if o, _ := outputFormat(cmd); o == "json" {
				return printJSON(cmd.OutOrStdout(), a)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s with %s created (%s), valid %s to %s\n", a.Kind, a.Number, a.PartnerCode,
				a.Status, a.ValidFrom.Format("2006-01-02"), a.ValidUntil.Format("2006-01-02"))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&req.Partner, "partner", "", "partner code (BPJSTK-JATIM, LSP-BLK-SBY, ...); a PKS takes its MoU's")
	f.StringVar(&req.Parent, "under", "", "create a PKS under this MoU")
	f.StringVar(&req.Title, "title", "", "title of the agreement")
	f.StringVar(&req.ValidFrom, "from", "", "first day in force")
	f.StringVar(&req.ValidUntil, "until", "", "last day in force")
	f.StringSliceVar(&req.Centres, "centre", nil, "centres in scope (repeat or comma-separate; none: all)")
	f.StringSliceVar(&req.Schemes, "scheme", nil, "for an LSP: certification schemes in scope (none: all)")
	f.StringSliceVar(&req.TestSites, "test-site", nil, "for an LSP: test sites (TUK) in scope (none: all)")
	f.StringVar(&req.SignedOn, "signed-on", "", "signing date: create it signed")
	f.StringArrayVar(&req.Signatories, "signatory", nil, "who signed (repeat)")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("until")
	addActorFlags(cmd, vocab.RoleCoordinator)
	return cmd
}

func newMoUSignCmd() *cobra.Command {
	var req api.MoUSignRequest
	cmd := &cobra.Command{
		Use:     "sign NUMBER",
		Short:   "Sign a draft agreement; it comes into force on its first day",
		Example: `  kompeten mou sign "MOU/BPVP-SDA/LSP-BLK-SBY/2026" --signed-on today --signatory "Kepala BPVP Sidoarjo" --signatory "Ketua LSP BLK Surabaya"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Actor = actorFrom(cmd)
			return sendMoUAction(cmd, (*apiclient.Client).SignMoU, args[0], req)
		},
	}
	f := cmd.Flags()
	f.StringVar(&req.SignedOn, "signed-on", "today", "signing date")
	f.StringArrayVar(&req.Signatories, "signatory", nil, "who signed (repeat)")
	f.StringVar(&req.ValidFrom, "from", "", "first day in force, if it changed at signing")
	f.StringVar(&req.ValidUntil, "until", "", "last day in force, if it changed at signing")
	_ = cmd.MarkFlagRequired("signatory")
	addActorFlags(cmd, vocab.RoleCoordinator)
	return cmd
}

func newMoUAmendCmd() *cobra.Command {
	var req api.MoUAmendRequest
	cmd := &cobra.Command{
		Use:   "amend NUMBER",
		Short: "Record an addendum: a new last day and/or a new scope (its PKS follow)",
		Example: `  kompeten mou amend "MOU/BPVP-SDA/LSP-BLK-SBY/2023" --ref "ADD/01/2026" --until 2026-12-31
  kompeten mou amend "MOU/BPVP-SDA/LSP-BLK-SBY/2023" --centres BLK-SBY,BLK-SDA --schemes all`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Actor = actorFrom(cmd)
			for flag, dst := range map[string]**[]string{"centres": &req.Centres, "schemes": &req.Schemes, "test-sites": &req.TestSites} {
				if cmd.Flags().Changed(flag) {
					v, _ := cmd.Flags().GetStringSlice(flag)
					if len(v) == 1 && v[0] == "all" {
						v = []string{}
					}
					*dst = &v
				}
			}
			return sendMoUAction(cmd, (*apiclient.Client).AmendMoU, args[0], req)
		},
	}
	f := cmd.Flags()
	f.StringVar(&req.Ref, "ref", "", "the addendum's number")
	f.StringVar(&req.Note, "note", "", "why")
	f.StringVar(&req.ValidUntil, "until", "", "new last day")
	f.StringSlice("centres", nil, "new centre list (all: every centre)")
	f.StringSlice("schemes", nil, "new scheme list (all: every scheme)")
	f.StringSlice("test-sites", nil, "new test site list (all: every site)")
	addActorFlags(cmd, vocab.RoleCoordinator)
	return cmd
}

func newMoURenewCmd() *cobra.Command {
	var req api.MoURenewRequest
	cmd := &cobra.Command{
		Use:   "renew NUMBER",
		Short: "Sign a successor that takes over when the agreement ends (a gap between them is flagged)",
		Example: `  kompeten mou renew "MOU/BPVP-SDA/LSP-BLK-SBY/2023" --successor "MOU/BPVP-SDA/LSP-BLK-SBY/2028" \
      --signed-on today --signatory "Kepala BPVP Sidoarjo" --from 2028-01-19 --until 2033-01-18`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Actor = actorFrom(cmd)
			for flag, dst := range map[string]**[]string{"centres": &req.Centres, "schemes": &req.Schemes, "test-sites": &req.TestSites} {
				if cmd.Flags().Changed(flag) {
					v, _ := cmd.Flags().GetStringSlice(flag)
					if len(v) == 1 && v[0] == "all" {
						v = []string{}
					}
					*dst = &v
				}
			}
			return sendMoUAction(cmd, (*apiclient.Client).RenewMoU, args[0], req)
		},
	}
	f := cmd.Flags()
	f.StringVar(&req.Successor, "successor", "", "the successor's number")
	f.StringVar(&req.Title, "title", "", "the successor's title (default: the same)")
	f.StringVar(&req.SignedOn, "signed-on", "today", "when the successor was signed")
	f.StringArrayVar(&req.Signatories, "signatory", nil, "who signed the successor (repeat)")
	f.StringVar(&req.ValidFrom, "from", "", "the successor's first day (the day after this one's last: no gap)")
	f.StringVar(&req.ValidUntil, "until", "", "the successor's last day")
	f.StringSlice("centres", nil, "the successor's centres (default: the same; all: every centre)")
	f.StringSlice("schemes", nil, "the successor's schemes (default: the same)")
	f.StringSlice("test-sites", nil, "the successor's test sites (default: the same)")
	f.StringVar(&req.Parent, "under", "", "for a PKS: the MoU the successor sits under (default: the same)")
	for _, n := range []string{"successor", "signatory", "from", "until"} {
		_ = cmd.MarkFlagRequired(n)
	}
	addActorFlags(cmd, vocab.RoleCoordinator)
	return cmd
}

func newMoUTerminateCmd() *cobra.Command {
	var req api.MoUTerminateRequest
	cmd := &cobra.Command{
		Use:   "terminate NUMBER",
		Short: "End an agreement early (today, or from --on); its PKS end with it",
		Long: `End an agreement early. An agreement that live cases still depend on (the count in
"kompeten mou list") is refused, exit code 2, with those cases listed: ending it leaves them
waiting for an agreement. --force ends it anyway.`,
		Example: `  kompeten mou terminate "MOU/BPVP-SDA/LSP-BLK-SBY/2023" --reason "licence suspended by BNSP"
  kompeten mou terminate "PKS/BLK-SBY/2026" --on 2027-01-01 --reason "centre closed for renovation"
  kompeten mou terminate "MOU/BPVP-SDA/LSP-BLK-SBY/2023" --reason "licence revoked" --force`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Actor = actorFrom(cmd)
			err := sendMoUAction(cmd, (*apiclient.Client).TerminateMoU, args[0], req)
			var e *apiclient.Error
			if errors.As(err, &e) && e.Code == apiclient.CodeConflict {
				return listDependents(cmd, args[0], e)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&req.Reason, "reason", "", "why (required)")
	cmd.Flags().StringVar(&req.On, "on", "", "first day no longer covered (default today)")
	cmd.Flags().BoolVar(&req.Force, "force", false, "terminate even though live cases depend on it")
	_ = cmd.MarkFlagRequired("reason")
	addActorFlags(cmd, vocab.RoleCoordinator)
	return cmd
}

// listDependents prints a termination refused for its dependent cases with every case that
// depends on the agreement (the server's refusal names only the first), and exits 2.
func listDependents(cmd *cobra.Command, number string, refusal *apiclient.Error) error {
	sayRefused(cmd, "cli.refused", "detail", refusal.Say())
	c, err := newAPIClient(cmd)
	if err != nil {
		return err
	}
	d, err := c.GetMoU(cmd.Context(), number)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%d live case(s) depend on %s:\n", d.DependentCases, number)
	if err := dependentsTable(cmd.OutOrStdout(), d.Cases); err != nil {
		return err
	}
	fmt.Fprintln(cmd.OutOrStdout(), "terminate with --force to end it anyway")
	return &exitError{code: exitRefused}
}

// change is one change to an agreement: a method such as (*apiclient.Client).SignMoU.
type change[B any] func(c *apiclient.Client, ctx context.Context, number string, body B) (api.MoUActionResponse, error)

// sendMoUAction sends a change to an agreement and prints its workflow's answer; a refusal is
// printed as the workflow worded it, exit code 2.
func sendMoUAction[B any](cmd *cobra.Command, send change[B], number string, body B) error {
	c, err := newAPIClient(cmd)
	if err != nil {
		return err
	}
	res, err := send(c, cmd.Context(), number, body)
	if err != nil {
		return refused(cmd, err, apiclient.CodeRefused)
	}
	if o, _ := outputFormat(cmd); o == "json" {
		return printJSON(cmd.OutOrStdout(), res)
	}
	fmt.Fprintln(cmd.OutOrStdout(), res.Message)
	return nil
}
