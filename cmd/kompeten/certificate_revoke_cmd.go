package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
)

// newCertificateRevokeCmd revokes an issued certificate the LSP withdrew. It is not a step of the
// journey (the case is usually closed by then) but a fact of the read model: the public check
// /verifikasi/<number> says revoked and the case's timeline says who revoked it and why.
func newCertificateRevokeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "revoke CASE-ID --reason TEXT",
		Short: "Revoke the case's issued certificate (the LSP withdrew it); the public check then says revoked",
		Long: `Marks the case's certificate revoked: /verifikasi/<number> answers "revoked" from then on,
and the case's timeline records certificate-revoked with the reason and who revoked it. The LSP
certification manager revokes the certificates of its own LSPs, the coordinator any. A
certificate revoked before is refused (exit 2) with the date; so is a case without one.`,
		Example: `  kompeten certificate revoke k3f9x2m7qa --reason "issued on a falsified assessment record"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reason, _ := cmd.Flags().GetString("reason")
			if strings.TrimSpace(reason) == "" {
				return errors.New("--reason is required")
			}
			res, err := opsAction(cmd, (*apiclient.Client).RevokeCertificate, args[0], api.RevokeCertificateRequest{Reason: reason})
			if err != nil {
				return err
			}
			if o, _ := outputFormat(cmd); o == "json" {
				return printJSON(cmd.OutOrStdout(), res)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", res.CaseID, res.Message)
			return err
		},
	}
	cmd.Flags().String("reason", "", "why the certificate is revoked (recorded in the case's timeline); required")
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}
