package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// newFollowUpCmd records a placement follow-up contact that found no placement, as the
// follow-ups page's "still looking" and "not reached" do; the case stays in follow-up.
func newFollowUpCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "follow-up CASE-ID...",
		Short: "Record a follow-up contact with no placement: still-looking or not-reached (the case stays in follow-up)",
		Example: `  kompeten follow-up k3f9x2m7qa --contact still-looking --note "interview at PT Maspion next week"
  kompeten follow-up k3f9x2m7qa p8d2v6n4rb --contact not-reached`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			contact, _ := cmd.Flags().GetString("contact")
			note, _ := cmd.Flags().GetString("note")
			c := workflows.FollowUpContact{Actor: actorFrom(cmd), Contact: vocab.Contact(contact), Note: note}
			// Several cases ("not reached" for a day's calls): each is tried, a refusal said and
			// counted, the others still recorded.
			failed := 0
			for _, id := range args {
				if err := sendAction(cmd, (*apiclient.Client).RecordFollowUp, id, c); err != nil {
					if len(args) == 1 {
						return err
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "%s: %v\n", id, err)
					failed++
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d follow-up contacts not recorded", failed, len(args))
			}
			return nil
		},
	}
	cmd.Flags().String("contact", "", "still-looking or not-reached")
	cmd.Flags().String("note", "", "what was said (optional)")
	_ = cmd.MarkFlagRequired("contact")
	addActorFlags(cmd, vocab.RoleCentreAdmin)
	return cmd
}
