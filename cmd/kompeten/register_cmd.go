package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// runRegister records a package's day register (--date) or, without a date, shows the
// register. A register the server refuses (422: a trainee left off, a day out of training) is
// printed as worded, exit 2; so is one any journey refused; a case that could not be sent is
// exit 1 (recording the day again retries it).
func runRegister(cmd *cobra.Command, pkg string) error {
	date, _ := cmd.Flags().GetString("date")
	present, _ := cmd.Flags().GetStringSlice("present")
	absentList, _ := cmd.Flags().GetString("absent")
	file, _ := cmd.Flags().GetString("file")
	c, err := newAPIClient(cmd)
	if err != nil {
		return err
	}
	if date == "" {
		if len(present) > 0 || absentList != "" || file != "" {
			return errors.New("--date is required to record a register")
		}
		return showRegister(cmd, c, pkg)
	}
	req := api.AttendanceRegisterRequest{Actor: actorFrom(cmd), Present: present, Absent: splitIDs(absentList)}
	if file != "" {
		if len(present) > 0 || absentList != "" {
			return errors.New("give the register as --present/--absent or as --file, not both")
		}
		if req.Present, req.Absent, err = readRegisterFile(file); err != nil {
			return err
		}
	}
	res, err := c.RecordAttendanceDay(cmd.Context(), pkg, date, req)
	if err != nil {
		return refused(cmd, err, apiclient.CodeRefused)
	}
	if o, _ := outputFormat(cmd); o == "json" {
		if err := printJSON(cmd.OutOrStdout(), res); err != nil {
			return err
		}
	} else if err := printRegisterResult(cmd, res); err != nil {
		return err
	}
	code := 0
	for _, rc := range res.Cases {
		switch {
		case rc.Outcome == starter.RegisterFailed:
			code = exitFailure
		case rc.Outcome == starter.RegisterRefused && code == 0:
			code = exitRefused
		}
	}
	if code != 0 {
		return &exitError{code: code}
	}
	return nil
}

func printRegisterResult(cmd *cobra.Command, res starter.RegisterResult) error {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%s %s: %d present, %d absent (mode %s)\n", res.Package, res.Date, res.Present, res.Absent, res.Mode)
	rows := make([][]string, 0, len(res.Cases))
	for _, rc := range res.Cases {
		today := "absent"
		if rc.Present {
			today = "present"
		}
		rows = append(rows, []string{rc.CaseID, today, strconv.Itoa(rc.DaysPresent), strconv.Itoa(rc.DaysAbsent), rc.Outcome, rc.Message})
	}
	return table(w, []string{"CASE", "TODAY", "DAYS PRESENT", "DAYS ABSENT", "OUTCOME", "JOURNEY"}, rows)
}

func showRegister(cmd *cobra.Command, c *apiclient.Client, pkg string) error {
	o, err := c.AttendanceOverview(cmd.Context(), pkg)
	if err != nil {
		return err
	}
	if f, _ := outputFormat(cmd); f == "json" {
		return printJSON(cmd.OutOrStdout(), o)
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%s: training %s to %s, mode %s; %d day(s) recorded, %d missing\n", o.Package, o.FirstDay, o.LastDay, o.Mode, o.Recorded, o.Missing)
	if len(o.MissingOn) > 0 {
		fmt.Fprintf(w, "missing: %s\n", strings.Join(o.MissingOn, ", "))
	}
	rows := make([][]string, 0, len(o.Counts))
	for _, n := range o.Counts {
		rows = append(rows, []string{n.CaseID, strconv.Itoa(n.Present), strconv.Itoa(n.Absent)})
	}
	return table(w, []string{"CASE", "DAYS PRESENT", "DAYS ABSENT"}, rows)
}

// splitIDs reads a comma-separated list of case IDs.
func splitIDs(s string) []string {
	var out []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// registerWords are the values the register file's present column takes, Indonesian too.
var registerWords = map[string]bool{
	"present": true, "yes": true, "y": true, "1": true, "true": true, "hadir": true, "h": true, "ya": true,
	"absent": false, "no": false, "n": false, "0": false, "false": false, "absen": false, "tidak": false, "a": false, "tidak hadir": false,
}

// readRegisterFile reads a day's register from CSV: a header with case_id and present columns.
func readRegisterFile(path string) (present, absent []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("register file: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("register file %s: %w", path, err)
	}
	idCol, presentCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "case_id", "case", "kasus":
			idCol = i
		case "present", "hadir":
			presentCol = i
		}
	}
	if idCol < 0 || presentCol < 0 {
		return nil, nil, fmt.Errorf("register file %s: the first row must name a case_id and a present column", path)
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("register file %s: %w", path, err)
		}
		if idCol >= len(rec) || presentCol >= len(rec) {
			return nil, nil, fmt.Errorf("register file %s line %d: too few columns", path, line)
		}
		id := strings.TrimSpace(rec[idCol])
		p, ok := registerWords[strings.ToLower(strings.TrimSpace(rec[presentCol]))]
		if !ok {
			return nil, nil, fmt.Errorf("register file %s line %d: present is %q (use yes/no, hadir/absen, 1/0)", path, line, rec[presentCol])
		}
		if p {
			present = append(present, id)
		} else {
			absent = append(absent, id)
		}
	}
	return present, absent, nil
}
