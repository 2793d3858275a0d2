package main

import (
	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

func newResolveCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "resolve CASE-ID",
		Short: "End a KPJ or certificate-number conflict: give the corrected number, or ask the partner again",
		Long: `A case stuck kpj-conflict or certificate-conflict got a number from BPJS or the LSP that
already belongs to another person's case (kompeten stuck names both). Once the partner has
corrected its record, give the corrected number with --number (it is claimed like the partner's
answer: one that belongs to someone else too keeps the case stuck), or leave it out to ask the
partner again under a new idempotency key. A KPJ from the batch exchange comes in the next
returned file instead (or give it here). The insurer liaison resolves a KPJ, the LSP
certification manager a certificate number, an operator or coordinator either.`,
		Example: `  kompeten resolve k3f9x2m7qa --note "BPJS re-issued the membership"
  kompeten resolve k3f9x2m7qa --number 23000004711 --role insurer-liaison`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			number, _ := cmd.Flags().GetString("number")
			note, _ := cmd.Flags().GetString("note")
			return sendAction(cmd, (*apiclient.Client).ResolveNumberConflict, args[0], workflows.NumberResolution{Actor: actorFrom(cmd), Number: number, Note: note})
		},
	}
	cmd.Flags().String("number", "", "the corrected KPJ or certificate number (empty: ask the partner again)")
	cmd.Flags().String("note", "", "what was done at the partner")
	addActorFlags(cmd, vocab.RoleInsurerLiaison)
	return cmd
}
