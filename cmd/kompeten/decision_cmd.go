package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

func newApproveCmd() *cobra.Command {
	return newDecisionCmd("approve", true)
}

func newRejectCmd() *cobra.Command {
	return newDecisionCmd("reject", false)
}

// decision is one of the two decisions a person takes on a case, as the command line names it.
type decision struct {
	kind    string      // enrolment or certification
	stage   vocab.Stage // where the case waits for it
	waiting vocab.Party // whom it waits on
	role    vocab.Role  // the role that usually takes it
}

// decisions are found by the word people type, in either spelling.
var decisions = func() map[string]decision {
	enrol := decision{"enrolment", vocab.StageEnrolment, vocab.WaitingCentreAdmin, vocab.RoleCentreAdmin}
	certify := decision{"certification", vocab.StageCertification, vocab.WaitingLSPManager, vocab.RoleLSPManager}
	return map[string]decision{"enrolment": enrol, "enrollment": enrol, "certification": certify, "certificate": certify}
}()

func newDecisionCmd(verb string, approve bool) *cobra.Command {
	title := strings.ToUpper(verb[:1]) + verb[1:]
	cmd := &cobra.Command{
		Use:   verb + " enrolment|certification CASE-ID...",
		Short: title + " enrolments (centre admin) or certifications (LSP certification manager)",
		Long: title + ` the enrolment or the certification of each case named. Several cases go to the server
as one bulk request (POST /api/v1/decisions, up to 1000 cases each), decided in the order given,
which is also the order seats are taken. A case the journey refuses (wrong stage, already
decided) is reported in the journey's words and the others go on; the command then ends with
exit code 2.`,
		Example: `  kompeten reject enrolment k3f9x2m7qa --reason "registered twice under another NIK"
  kompeten reject certification k3f9x2m7qa m2hd8s0p1x --reason "assessment evidence incomplete"`,
		Args: cobra.MinimumNArgs(1),
	}
	if approve {
		cmd.Use += " | --package CODE --all-eligible"
		cmd.Long += `

--package CODE --all-eligible approves every case of the package that waits for this decision
and, for enrolments, met every rule: an enrolment that failed one (the age, an overlapping
package) is named and left for a decision of its own, by its ID.`
		cmd.Example = `  kompeten approve enrolment k3f9x2m7qa
  kompeten approve enrolment k3f9x2m7qa m2hd8s0p1x u7c4n6e2ab
  kompeten approve enrolment --package SBY-LAS-2027-01 --all-eligible
  kompeten approve certification --package SBY-LAS-2027-01 --all-eligible --token "$LSP_MANAGER_TOKEN"`
		cmd.Long += `

An approval takes a seat in the package. When none is left it is refused with the count
("package SBY-LAS-1 is full: 16 of 16 seats taken", exit code 2), unless --waitlist puts the
case on the package's waiting list (in order: a seat freed by a case that leaves before
training, or a raised capacity, moves the first waiting case in) or a coordinator approves
--over-capacity with a --reason.`
		cmd.Example += `
  kompeten approve enrolment --package SBY-LAS-2027-01 --all-eligible --waitlist
  kompeten approve enrolment k3f9x2m7qa --over-capacity --reason "sponsored seat" --role coordinator`
		cmd.Flags().Bool("waitlist", false, "enrolments: when the package is full, approve onto its waiting list")
		cmd.Flags().Bool("over-capacity", false, "enrolments (coordinator): approve beyond the capacity; needs --reason")
		cmd.Flags().String("package", "", "with --all-eligible: the package whose cases to approve")
		cmd.Flags().Bool("all-eligible", false, "every case of --package waiting for this decision (enrolments: with every rule met)")
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		reason, _ := cmd.Flags().GetString("reason")
		if !approve && strings.TrimSpace(reason) == "" {
			return errors.New("--reason is required to reject")
		}
		d, ok := decisions[args[0]]
		if !ok {
			return fmt.Errorf("%s what? use `%s enrolment CASE-ID` or `%s certification CASE-ID`", verb, verb, verb)
		}
		ids := args[1:]
		pkg, _ := cmd.Flags().GetString("package")
		all, _ := cmd.Flags().GetBool("all-eligible")
		switch {
		case all && pkg == "":
			return errors.New("--all-eligible needs --package CODE")
		case all && len(ids) > 0:
			return errors.New("give case IDs or --package CODE --all-eligible, not both")
		case !all && pkg != "":
			return errors.New("--package selects cases only with --all-eligible")
		case !all && len(ids) == 0:
			return errors.New("which cases? give their IDs (`kompeten case list ... -o ids` prints them)")
		}
		c, err := newAPIClient(cmd)
		if err != nil {
			return err
		}
		if all {
			if ids, err = eligible(cmd, c, pkg, d); err != nil {
				return err
			}
			if len(ids) == 0 {
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "no case of package %s waits for a decision on its %s\n", pkg, d.kind)
				return err
			}
		}
		a := actorFrom(cmd)
		if !cmd.Flags().Changed("role") {
			a.Role = d.role
		}
		seat := seatOptions{}
		if approve {
			seat.waitlist, _ = cmd.Flags().GetBool("waitlist")
			seat.over, _ = cmd.Flags().GetBool("over-capacity")
			if (seat.waitlist || seat.over) && d.stage != vocab.StageEnrolment {
				return errors.New("--waitlist and --over-capacity apply to enrolments")
			}
			if seat.over && strings.TrimSpace(reason) == "" {
				return errors.New("--over-capacity needs --reason (it lands in the case's timeline)")
			}
		}
		return decideEach(cmd, c, d, ids, a, approve, reason, seat)
	}
	cmd.Flags().String("reason", "", "why (required to reject, to approve --over-capacity, and to approve an enrolment whose check found rules not met: it lands in the case's timeline)")
	addActorFlags(cmd, "")
	return cmd
}

// settleTimeout bounds the wait for enrolment checks still running when --all-eligible looks:
// right after an import the journeys are still checking their rules, and a case that has not
// finished is not yet waiting for anyone.
const settleTimeout = 30 * time.Second

// eligible lists the cases of package pkg that wait for decision d; for enrolments, those whose
// rules all pass (the others are named on standard error, for a decision of their own), once
// the enrolment checks still running have finished.
func eligible(cmd *cobra.Command, c *apiclient.Client, pkg string, d decision) ([]string, error) {
	ctx := cmd.Context()
	if _, err := c.GetPackage(ctx, pkg); err != nil {
		return nil, fmt.Errorf("package %s: %w", pkg, err)
	}
	deadline := time.Now().Add(settleTimeout)
	var cs []store.Case
	for said := false; ; said = true {
		var err error
		if cs, err = packageCases(ctx, c, pkg, d.stage); err != nil {
			return nil, err
		}
		checking := 0
		for _, k := range cs {
			if d.stage == vocab.StageEnrolment && k.WaitingOn == "" {
				checking++
			}
		}
		if checking == 0 || time.Now().After(deadline) {
			break
		}
		if !said {
			fmt.Fprintf(cmd.ErrOrStderr(), "waiting for the enrolment check of %d case(s) to finish\n", checking)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	var ids []string
	for _, k := range cs {
		switch {
		case d.stage == vocab.StageEnrolment && k.WaitingOn == "":
			fmt.Fprintf(cmd.ErrOrStderr(), "left out %s: its enrolment check has not finished\n", k.CaseID)
			continue
		case k.WaitingOn != d.waiting:
			continue
		}
		if d.stage == vocab.StageEnrolment {
			unmet, err := unmetRules(ctx, c, k.CaseID)
			if err != nil {
				return nil, err
			}
			if unmet != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "left out %s: %s\n", k.CaseID, unmet)
				continue
			}
		}
		ids = append(ids, k.CaseID)
	}
	return ids, nil
}

// packageCases lists every open case of package pkg in stage, page by page.
func packageCases(ctx context.Context, c *apiclient.Client, pkg string, stage vocab.Stage) ([]store.Case, error) {
	const page = 1000
	var all []store.Case
	for offset := 0; ; offset += page {
		cs, err := c.ListCases(ctx, apiclient.CaseFilter{Package: pkg, Stage: stage, Status: "open", Limit: page, Offset: offset})
		if err != nil {
			return nil, err
		}
		all = append(all, cs...)
		if len(cs) < page {
			return all, nil
		}
	}
}

// unmetRules words the enrolment rules a case failed, "" when it met them all.
func unmetRules(ctx context.Context, c *apiclient.Client, id string) (string, error) {
	v, err := c.GetCase(ctx, id)
	if err != nil {
		return "", fmt.Errorf("case %s: %w", id, err)
	}
	if v.State == nil {
		return "its journey's state is unavailable (" + v.StateError + ")", nil
	}
	if p := v.State.Enrolment.Problems; len(p) > 0 {
		return "rules not met: " + strings.Join(p, "; "), nil
	}
	return "", nil
}

// seatOptions are an enrolment approval's choices for a full package.
type seatOptions struct{ waitlist, over bool }

// decideEach sends the decision to each case in turn. A refusal by a journey (or of a step
// on a closed case) is printed with the case's ID and the others go on (exit code 2 at the end); any other failure (the token,
// the server) would fail every case alike and stops at once.
func decideEach(cmd *cobra.Command, c *apiclient.Client, d decision, ids []string, a workflows.Actor, approve bool, reason string, seat seatOptions) error {
	if len(ids) > 1 {
		return decideBulk(cmd, c, d, ids, a, approve, reason, seat)
	}
	refusedAny := false
	for _, id := range ids {
		var res workflows.UpdateResult
		var err error
		if d.stage == vocab.StageEnrolment {
			res, err = c.DecideEnrolment(cmd.Context(), id, workflows.EnrolmentDecision{
				Actor: a, Approve: approve, Reason: reason, Waitlist: seat.waitlist, OverCapacity: seat.over})
		} else {
			res, err = c.DecideCertification(cmd.Context(), id, workflows.CertificationDecision{Actor: a, Approve: approve, Reason: reason})
		}
		var e *apiclient.Error
		if errors.As(err, &e) && (e.Code == apiclient.CodeRefused || e.Code == apiclient.CodeConflict) { // 409: the case is closed
			sayRefused(cmd, "cli.refused-case", "case", id, "detail", e.Say())
			refusedAny = true
			continue
		}
		if err != nil {
			return err
		}
		if err := printResult(cmd, res); err != nil {
			return err
		}
	}
	if refusedAny {
		return &exitError{code: exitRefused}
	}
	return nil
}

// decideBulk sends the decision on several cases as bulk requests of at most
// api.MaxBulkDecisions cases each, rather than one request per case: a 280-person cohort is one
// request, decided by the server in the order given (the order seats are taken). Each case's
// outcome is printed as the single-case form prints it; refused ones on standard error, and the
// command then ends with exit code 2. A refusal of a whole request (the role, the reason) is an
// error, as for one case.
func decideBulk(cmd *cobra.Command, c *apiclient.Client, d decision, ids []string, a workflows.Actor, approve bool, reason string, seat seatOptions) error {
	action := "reject"
	if approve {
		action = "approve"
	}
	refusedAny := false
	for start := 0; start < len(ids); start += api.MaxBulkDecisions {
		chunk := ids[start:min(start+api.MaxBulkDecisions, len(ids))]
		res, err := c.DecideMany(cmd.Context(), api.DecisionsRequest{Kind: d.kind, Action: action, CaseIDs: chunk, Reason: reason,
			// As for one case, a reason given to approve enrolments is what lets an approval over
			// rules not met through; without one such cases are refused, each naming its rules.
			OverrideRules: approve && d.stage == vocab.StageEnrolment && strings.TrimSpace(reason) != "",
			Waitlist:      seat.waitlist, OverCapacity: seat.over, Actor: a})
		var e *apiclient.Error
		if errors.As(err, &e) && e.Code == apiclient.CodeRefused { // the request as a whole: the reason, the role's options
			sayRefused(cmd, "cli.refused-bulk", "action", action, "n", strconv.Itoa(len(chunk)), "kind", d.kind, "detail", e.Say())
			return &exitError{code: exitRefused}
		}
		if err != nil {
			return fmt.Errorf("%s %d %s decision(s): %w", action, len(chunk), d.kind, err)
		}
		if o, _ := outputFormat(cmd); o == "json" {
			if err := printJSON(cmd.OutOrStdout(), res); err != nil {
				return err
			}
		}
		for _, o := range res.Outcomes {
			if !o.OK {
				// The refusal in the command line's language (the server words it in the language
				// the client asked for), its English when the server gave no words.
				words := o.Words
				if words == "" {
					words = o.Message
				}
				sayRefused(cmd, "cli.refused-case", "case", o.CaseID, "detail", words)
				refusedAny = true
				continue
			}
			if f, _ := outputFormat(cmd); f != "json" {
				if _, err := fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", o.CaseID, o.Message); err != nil {
					return err
				}
			}
		}
	}
	if refusedAny {
		return &exitError{code: exitRefused}
	}
	return nil
}
