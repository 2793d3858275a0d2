package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// formatsAnnotation lists on the --output flag the formats its command prints.
const formatsAnnotation = "kompeten-formats"

// outputIDs prints one case ID per line, for a shell to loop over: a list of cases offers it.
const outputIDs = "ids"

func addOutputFlag(cmd *cobra.Command, extra ...string) {
	formats := append([]string{"table", "json"}, extra...)
	usage := "output format: " + strings.Join(formats[:len(formats)-1], ", ") + " or " + formats[len(formats)-1]
	if slices.Contains(extra, outputIDs) {
		usage += " (one case ID per line)"
	}
	cmd.Flags().StringP("output", "o", "table", usage)
	_ = cmd.Flags().SetAnnotation("output", formatsAnnotation, formats)
}

func outputFormat(cmd *cobra.Command) (string, error) {
	o, _ := cmd.Flags().GetString("output")
	formats := []string{"table", "json"}
	if f := cmd.Flags().Lookup("output"); f != nil && len(f.Annotations[formatsAnnotation]) > 0 {
		formats = f.Annotations[formatsAnnotation]
	}
	if !slices.Contains(formats, o) {
		return "", fmt.Errorf("--output must be %s, got %q", strings.Join(formats, " or "), o)
	}
	return o, nil
}

// printIDs prints one case ID per line.
func printIDs(w io.Writer, ids []string) error {
	for _, id := range ids {
		if _, err := fmt.Fprintln(w, id); err != nil {
			return err
		}
	}
	return nil
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// table prints rows aligned in columns.
func table(w io.Writer, header []string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	for i, h := range header {
		if i > 0 {
			fmt.Fprint(tw, "\t")
		}
		fmt.Fprint(tw, h)
	}
	fmt.Fprintln(tw)
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, c)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// displayLocation is journey.timezone, so dates read as the centres see them.
func displayLocation(cmd *cobra.Command) *time.Location {
	if c, err := loadConfig(cmd); err == nil {
		if loc, err := time.LoadLocation(c.Journey.Timezone); err == nil {
			return loc
		}
	}
	return time.Local
}
