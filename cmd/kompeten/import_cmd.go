package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// importBatch is how many people go to the server per request.
const importBatch = 200

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
email, education, address), in any order. With --dry-run nothing starts: every row is checked
and the server asked which people are already enrolled in the package, so the report reads
valid, already-enrolled (with the case) or rejected, as the pages' upload preview does.

The report is rewritten before each batch goes to the server, so after an interrupt or a
crash it says which rows started, which were sent without an answer (unknown: they may have
started) and which were never sent (not-sent); running the import again is safe. The exit
code is 1 when any row did not start (rejected, failed, unknown, not-sent; in a dry run:
rejected), 0 when every row started or was already enrolled.`,
		Example: `  kompeten import peserta-las.csv --package SBY-LAS-2027-01
  kompeten import peserta.xlsx --package SBY-LAS-2027-01 --dry-run
  kompeten import peserta.csv --package SBY-LAS-2027-01 --report hasil-import.csv`,
		Args: cobra.ExactArgs(1),
		RunE: runImport,
	}
	cmd.Flags().String("package", "", "package code (required)")
	cmd.Flags().Bool("dry-run", false, "validate and report without starting anything (rows already enrolled read already-enrolled)")
	cmd.Flags().String("report", "", "report file (default <FILE name>-report.csv in the working directory)")
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
		// In the working directory: the input may sit on a read-only share or a USB stick.
		base := filepath.Base(file)
		reportPath = strings.TrimSuffix(base, filepath.Ext(base)) + "-report.csv"
	}
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(cfg.Journey.Timezone)
	if err != nil {
		return err
	}
	c, err := newAPIClient(cmd)
	if err != nil {
		return err
	}
	pkg, err := c.GetPackage(cmd.Context(), pkgCode)
	if err != nil {
		return fmt.Errorf("package %s: %w", pkgCode, err)
	}
	rows, err := cohort.Open(file)
	if err != nil {
		return fmt.Errorf("read %s: %w", file, err)
	}
	var prog *progress
	opts := importer.Options{
		BatchSize: importBatch,
		DryRun:    dry,
		Rules:     cohort.Rules{StartDate: pkg.StartDate.In(loc), MinAge: cfg.Journey.MinAge, MaxAge: cfg.Journey.MaxAge},
		Progress: func(done, total int) {
			if prog == nil {
				prog = newProgress(cmd.ErrOrStderr(), total, "starting journeys")
			}
			prog.set(done)
		},
		Checkpoint: func(rep importer.Report) error { return writeReportFile(reportPath, rep) },
	}
	rep, runErr := importer.Run(cmd.Context(), rows, pkg.Code, c, opts)
	if prog != nil {
		prog.finish()
	}
	if err := writeReportFile(reportPath, rep); err != nil {
		return err
	}
	if runErr != nil {
		return fmt.Errorf("%w (the report %s lists what was done; running the import again is safe)", runErr, reportPath)
	}
	counts := rep.Counts()
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%d rows read from %s for package %s\n", len(rows), file, pkg.Code)
	for _, k := range []string{starter.OutcomeStarted, starter.OutcomeWarnedStarted, starter.OutcomeAlreadyEnrolled, importer.OutcomeValid, importer.OutcomeRejected, starter.OutcomeFailed, importer.OutcomeUnknown, importer.OutcomeNotSent} {
		if counts[k] > 0 {
			fmt.Fprintf(w, "  %-20s %d\n", k, counts[k])
		}
	}
	for _, r := range rep.Rows {
		if r.Outcome == importer.OutcomeRejected || r.Outcome == starter.OutcomeFailed {
			fmt.Fprintf(w, "  row %d: %s\n", r.Line, r.Reason)
		}
	}
	fmt.Fprintf(w, "report: %s\n", reportPath)
	if n := counts[importer.OutcomeRejected] + counts[starter.OutcomeFailed]; n > 0 {
		// README's exit codes: an import with rows that did not start is a failure, so a
		// script that imports cohorts notices the rows someone must fix.
		fmt.Fprintf(cmd.ErrOrStderr(), "%d of %d rows did not start (listed above and in %s)\n", n, len(rows), reportPath)
		return &exitError{code: exitFailure}
	}
	return nil
}

// writeReportFile replaces the report at path with rep. It writes a temporary file beside it
// and renames it over the old one, so a crash mid-write leaves the previous report whole.
func writeReportFile(path string, rep importer.Report) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer os.Remove(f.Name()) // after a successful rename there is nothing left to remove
	if err := rep.WriteCSV(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}
