package main

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// newCertificateCmd groups the ways out of an LSP's refusal of the assessment request or of the
// certificate: the case waits, stuck assessment-refused or certificate-refused, until one is
// taken.
func newCertificateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "certificate retry|reassess|skip|revoke CASE-ID",
		Short: "After an LSP refused the assessment request or the certificate: retry, re-assess, or go on without a certificate",
		Long: `A case whose LSP refused the assessment request or the certificate waits, stuck
assessment-refused or certificate-refused with the LSP's words (kompeten stuck, the inbox), until
a person takes one of these ways out:

  retry     send the refused request again once the LSP has fixed its record (LSP certification
            manager of the case's LSP, or coordinator); the same idempotency key, so the LSP
            issues one certificate however often it is asked
  reassess  after a refused certificate: assess --unit CODE again (default every unit of the
            scheme), then certification approval again (LSP certification manager; --reason);
            it does not use up journey.reassess_attempts
  skip      go on to placement follow-up without a certificate (coordinator; --reason)

and, once a certificate was issued:

  revoke    revoke it, the LSP having withdrawn it (LSP certification manager of the case's
            LSP, or coordinator; --reason); the public check then says revoked`,
		Example: `  kompeten certificate retry k3f9x2m7qa --reason "assessment record restored"
  kompeten certificate reassess k3f9x2m7qa --unit LOG.OO18.002.01 --reason "our record says BK on the SMAW unit"
  kompeten certificate skip k3f9x2m7qa --reason "the trainee declined a new test"
  kompeten certificate revoke k3f9x2m7qa --reason "issued on a falsified assessment record"`,
	}
	cmd.AddCommand(
		newWayOutCmd("retry", (*apiclient.Client).RetryRefused, vocab.RoleLSPManager, false),
		newWayOutCmd("reassess", (*apiclient.Client).OrderReassessment, vocab.RoleLSPManager, true),
		newWayOutCmd("skip", (*apiclient.Client).CloseUncertified, vocab.RoleCoordinator, true),
		newCertificateRevokeCmd(),
	)
	return cmd
}

func newWayOutCmd(verb string, send step[workflows.RefusalDecision], role vocab.Role, needReason bool) *cobra.Command {
	cmd := &cobra.Command{
		Use:  verb + " CASE-ID",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reason, _ := cmd.Flags().GetString("reason")
			if needReason && strings.TrimSpace(reason) == "" {
				return errors.New("--reason is required")
			}
			d := workflows.RefusalDecision{Actor: actorFrom(cmd), Reason: reason}
			if verb == "reassess" {
				d.Units, _ = cmd.Flags().GetStringSlice("unit")
			}
			return sendAction(cmd, send, args[0], d)
		},
	}
	switch verb {
	case "retry":
		cmd.Short = "Send the refused request to the LSP again, once it has fixed its record"
	case "reassess":
		cmd.Short = "Re-assess units after a refused certificate (default: every unit of the scheme)"
		cmd.Flags().StringSlice("unit", nil, "unit code to assess again; repeat per unit")
	default:
		cmd.Short = "Go on to placement follow-up without a certificate"
	}
	why := "why (recorded in the case's log)"
	if needReason {
		why += "; required"
	}
	cmd.Flags().String("reason", "", why)
	addActorFlags(cmd, role)
	return cmd
}
