package main

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

func newCorrectCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "correct CASE-ID",
		Short: "Correct the participant's record BPJS refused (name, birth date, NIK) and register again",
		Long: `Corrects the participant's record of a case waiting for a correction (BPJS refused its
data), then the journey registers again. Give any of --name, --birth-date and --nik; they are
checked like a row of the cohort spreadsheet (the same NIK rules and messages). --nik - reads the
NIK from the first line of standard input, keeping it out of the shell's history. Without any of
them, only tells the journey the record was corrected elsewhere.`,
		Example: `  kompeten correct k3f9x2m7qa --birth-date 19-07-2004 --note "birth date fixed from the KK"
  kompeten correct k3f9x2m7qa --name "Siti Nurhaliza" --nik - < nik.txt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := api.CorrectionRequest{Actor: actorFrom(cmd)}
			req.Note, _ = cmd.Flags().GetString("note")
			req.Name, _ = cmd.Flags().GetString("name")
			req.BirthDate, _ = cmd.Flags().GetString("birth-date")
			req.NIK, _ = cmd.Flags().GetString("nik")
			if req.NIK == "-" {
				line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
				if line = strings.TrimSpace(line); line == "" {
					return fmt.Errorf("--nik -: no NIK on standard input (%v)", err)
				}
				req.NIK = line
			}
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			res, err := c.CorrectParticipant(cmd.Context(), args[0], req)
			if err != nil {
				return refused(cmd, err, apiclient.CodeRefused, apiclient.CodeConflict)
			}
			if o, _ := outputFormat(cmd); o == "json" {
				return printJSON(cmd.OutOrStdout(), res)
			}
			out := cmd.OutOrStdout()
			for _, ch := range res.Changes {
				fmt.Fprintf(out, "%s: %s → %s\n", ch.Field, ch.Old, ch.New)
			}
			for _, w := range res.Warnings {
				fmt.Fprintf(out, "warning: %s\n", w)
			}
			return printResult(cmd, res.UpdateResult)
		},
	}
	cmd.Flags().String("name", "", "the corrected full name")
	cmd.Flags().String("birth-date", "", "the corrected birth date, DD-MM-YYYY or YYYY-MM-DD")
	cmd.Flags().String("nik", "", "the corrected NIK in full (16 digits); - reads it from standard input")
	cmd.Flags().String("note", "", "what was corrected and from which document")
	addActorFlags(cmd, vocab.RoleCentreAdmin)
	return cmd
}
