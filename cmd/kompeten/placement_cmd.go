package main

import (
	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// newPlacementCmd groups staff's review of a placement the graduate reported through a
// follow-up link (issue 18). Correcting one is `kompeten place`, which replaces it.
func newPlacementCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "placement",
		Short: "Review a graduate's self-reported placement: confirm it (correct it with `kompeten place`)",
	}
	cmd.AddCommand(newPlacementConfirmCmd())
	return cmd
}

// newPlacementConfirmCmd confirms a self-reported placement waiting for staff.
func newPlacementConfirmCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "confirm CASE-ID",
		Short: "Confirm the placement the graduate reported through a follow-up link; the case closes with it",
		Long: `A placement the graduate reported through a follow-up link waits for staff, in placement
follow-up on the centre admin, for journey.selfreport_confirm (14 days). This confirms it as the
graduate gave it: the timeline says placement-confirmed with who confirmed it, and the case closes
with it. To correct it instead, report the right placement with kompeten place CASE-ID: it
replaces the self-report. A case with no self-report waiting is refused (exit 2).`,
		Example: `  kompeten placement confirm k3f9x2m7qa
  kompeten placement confirm k3f9x2m7qa --note "employer confirmed by phone"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			note, _ := cmd.Flags().GetString("note")
			return sendAction(cmd, (*apiclient.Client).ConfirmPlacement, args[0], workflows.PlacementConfirmation{Actor: actorFrom(cmd), Note: note})
		},
	}
	cmd.Flags().String("note", "", "kept on the case's timeline with the confirmation")
	addActorFlags(cmd, vocab.RoleCentreAdmin)
	return cmd
}
