package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/nik"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// importBatch is how many people go to the server per request.
const importBatch = 200

// Row outcomes in the import report.
const (
	rowRejected = "rejected"
	rowValid    = "valid" // --dry-run
)

type reportRow struct {
	line     int
	nikMask  string
	caseID   string
	outcome  string
	reason   string
	warnings []string
}

func newImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE --package CODE",
		Short: "Import a cohort (CSV or XLSX) into a package and start a journey per valid row",
		Long: `Reads a cohort export (CSV with ',' or ';', with or without a byte-order mark, or XLSX),
checks every row (NIK, dates, age at the package start, duplicates within the file), starts a
journey for each valid row, and writes a report with every row's outcome: started,
warned-and-started, already-enrolled (a re-import starts nothing twice) or rejected with the
reason. Columns may be in Indonesian (nik, nama, jenis_kelamin, tempat_lahir, tanggal_lahir,
no_hp, email, pendidikan, alamat) or English (nik, name, sex, birth_place, birth_date, phone,
email, education, address), in any order.`,
		Example: `  kompeten import peserta-las.csv --package SBY-LAS-2027-01
  kompeten import peserta.xlsx --package SBY-LAS-2027-01 --dry-run
  kompeten import peserta.csv --package SBY-LAS-2027-01 --report hasil-import.csv`,
		Args: cobra.ExactArgs(1),
		RunE: runImport,
	}
	cmd.Flags().String("package", "", "package code (required)")
	cmd.Flags().Bool("dry-run", false, "validate and report without starting anything")
	cmd.Flags().String("report", "", "report file (default FILE-report.csv next to the input)")
	_ = cmd.MarkFlagRequired("package")
	addServerFlag(cmd)
	return cmd
}

func runImport(cmd *cobra.Command, args []string) error {
	file := args[0]
	pkgCode, _ := cmd.Flags().GetString("package")
	dry, _ := cmd.Flags().GetBool("dry-run")
	reportPath, _ := cmd.Flags().GetString("report")
	if reportPath == "" {
		reportPath = strings.TrimSuffix(file, filepath.Ext(file)) + "-report.csv"
	}
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	c, err := newAPIClient(cmd)
	if err != nil {
		return err
	}
	var pkg store.Package
	if err := c.do("GET", "/api/v1/packages/"+url.PathEscape(pkgCode), nil, &pkg); err != nil {
		return fmt.Errorf("package %s: %w", pkgCode, err)
	}
	rows, err := cohort.Open(file)
	if err != nil {
		return fmt.Errorf("read %s: %w", file, err)
	}
	loc, err := time.LoadLocation(cfg.Journey.Timezone)
	if err != nil {
		return err
	}
	cohort.Validate(rows, cohort.Rules{StartDate: pkg.StartDate.In(loc), MinAge: cfg.Journey.MinAge, MaxAge: cfg.Journey.MaxAge})

	report := make([]reportRow, len(rows))
	var people []starter.Person
	var index []int // report position of each person
	for i, r := range rows {
		report[i] = reportRow{line: r.Line, nikMask: nik.Mask(r.NIK), warnings: r.Warnings}
		if r.Err != nil {
			report[i].outcome = rowRejected
			report[i].reason = fmt.Sprintf("%s: %v", r.ErrKind, r.Err)
			continue
		}
		report[i].outcome = rowValid
		people = append(people, starter.Person{
			NIK: r.NIK, Name: r.Name, Sex: r.Sex, BirthPlace: r.BirthPlace, BirthDate: r.BirthDate,
			Phone: r.Phone, Email: r.Email, Education: r.Education, Address: r.Address, Warnings: r.Warnings,
		})
		index = append(index, i)
	}

	if !dry && len(people) > 0 {
		prog := newProgress(cmd.ErrOrStderr(), len(people), "starting journeys")
		for from := 0; from < len(people); from += importBatch {
			to := min(from+importBatch, len(people))
			var resp api.EnrolResponse
			if err := c.do("POST", "/api/v1/packages/"+url.PathEscape(pkg.Code)+"/enrolments", api.EnrolRequest{People: people[from:to]}, &resp); err != nil {
				// Rows already sent are started; a re-run reports them as already-enrolled.
				_ = writeReport(reportPath, report)
				return fmt.Errorf("enrol rows %d-%d: %w (the report %s lists what was done; running the import again is safe)", report[index[from]].line, report[index[to-1]].line, err, reportPath)
			}
			for k, res := range resp.Results {
				rr := &report[index[from+k]]
				rr.caseID, rr.outcome, rr.reason = res.CaseID, res.Outcome, res.Error
			}
			prog.add(to - from)
		}
		prog.finish()
	}
	if err := writeReport(reportPath, report); err != nil {
		return err
	}
	counts := map[string]int{}
	for _, r := range report {
		counts[r.outcome]++
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%d rows read from %s for package %s\n", len(rows), file, pkg.Code)
	for _, k := range []string{starter.OutcomeStarted, starter.OutcomeWarnedStarted, starter.OutcomeAlreadyEnrolled, rowValid, rowRejected, starter.OutcomeFailed} {
		if counts[k] > 0 {
			fmt.Fprintf(w, "  %-20s %d\n", k, counts[k])
		}
	}
	for _, r := range report {
		if r.outcome == rowRejected || r.outcome == starter.OutcomeFailed {
			fmt.Fprintf(w, "  row %d: %s\n", r.line, r.reason)
		}
	}
	fmt.Fprintf(w, "report: %s\n", reportPath)
	if counts[starter.OutcomeFailed] > 0 {
		return &exitError{code: 1}
	}
	return nil
}

func writeReport(path string, rows []reportRow) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer f.Close()
	w := csv.NewWriter(f)
	_ = w.Write([]string{"row", "nik", "case_id", "outcome", "reason", "warnings"})
	for _, r := range rows {
		_ = w.Write([]string{strconv.Itoa(r.line), r.nikMask, r.caseID, r.outcome, r.reason, strings.Join(r.warnings, "; ")})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return f.Close()
}

// progress is a bar with rate and ETA on a terminal, plain lines otherwise (logs, CI).
type progress struct {
	bar   *progressbar.ProgressBar
	w     io.Writer
	total int
	done  int
	start time.Time
}

func newProgress(w io.Writer, total int, what string) *progress {
	p := &progress{w: w, total: total, start: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("rows"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
	} else {
		fmt.Fprintf(w, "%s: %d rows\n", what, total)
	}
	return p
}

func (p *progress) add(n int) {
	p.done += n
	if p.bar != nil {
		_ = p.bar.Add(n)
		return
	}
	rate := float64(p.done) / time.Since(p.start).Seconds()
	fmt.Fprintf(p.w, "  %d/%d rows (%.0f rows/s)\n", p.done, p.total, rate)
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.w)
	}
}
