package integration

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// weekCohort writes the first rows of the sample cohort as Excel saves a CSV in Indonesia:
// ';'-separated with a byte-order mark; it returns the path and the outcomes `kompeten import`
// gives them (a dry run of the same validator).
func weekCohort(t *testing.T, rows int, start time.Time) (string, map[string]int) {
	t.Helper()
	f, err := os.Open(sampleCohort)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	if err := w.WriteAll(recs[:rows+1]); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "peserta.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	parsed, err := cohort.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importer.Run(t.Context(), parsed, "", nil, importer.Options{DryRun: true, Rules: cohort.Rules{StartDate: start, MinAge: 17}})
	if err != nil {
		t.Fatal(err)
	}
	return path, rep.Counts()
}

// Issue 16 in a browser at 390 px, as a centre admin: creates a package in the form, uploads
// a ';'-separated cohort with a BOM, sees every row's outcome from the import's validator
// before anything starts (nothing is in the read model yet), starts the valid rows (their
// cases are in the read model), uploads the same file again and starts nobody twice, and
// corrects the record of the trainee BPJS refused from the case page (the read model and BPJS's
// own records show one registration after the correction), and records today's register with
// one trainee absent from the phone-sized window (the read model holds the day as ticked; the
// package page counts it).
func TestCentreAdminWeekInABrowser(t *testing.T) {
	cfg := fastConfig(t)
	cfg.Journey.Month = time.Hour
	sys := startSystem(t, cfg)
	ctx := newBrowser(t)
	shot := newShots(t)
	base := sys.api.URL
	loc := sys.svc.Location()
	today := time.Now().In(loc)
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	startDay, _ := time.ParseInLocation(time.DateOnly, day(0), loc)
	file, want := weekCohort(t, 8, startDay)
	if want[importer.OutcomeValid] < 2 || want[importer.OutcomeRejected] < 1 {
		t.Fatalf("the cohort's first rows give %v; want some valid and some rejected", want)
	}
	// BPJS will refuse one trainee's data: the population register knows a longer name.
	refusedID, rightName := refuseOneInBPJS(t, sys, file, "IT-WEEK")

	run(t, ctx, "phone size, name given", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(base+"/packages"), chromedp.WaitVisible(css("#create-package")),
		chromedp.SetValue(css("#actor-name"), "siti"), chromedp.Submit(css("form.actor")), chromedp.WaitVisible(css("#flash")))

	// Create the package.
	run(t, ctx, "fill the package form",
		chromedp.SetValue(css(`#create-package [name=code]`), "IT-WEEK"),
		chromedp.SetValue(css(`#create-package [name=centre]`), "BLK-SBY"),
		chromedp.SetValue(css(`#create-package [name=trade]`), "Las"),
		chromedp.SetValue(css(`#create-package [name=scheme]`), "SKM-LAS"),
		chromedp.SetValue(css(`#create-package [name=lsp]`), "LSP-BLK-SBY"),
		chromedp.SetValue(css(`#create-package [name=start]`), day(0)),
		chromedp.SetValue(css(`#create-package [name=end]`), day(3)),
		chromedp.SetValue(css(`#create-package [name=hours]`), "40"),
		chromedp.SetValue(css(`#create-package [name=capacity]`), "16"),
		chromedp.Click(css(`#create-package [name=auto_approve]`)))
	shot.take(ctx, "01-phone-package-form")
	run(t, ctx, "create the package", chromedp.Submit(css("#create-package")), chromedp.WaitVisible(css("#package-code")))
	if got := text(t, ctx, "#flash"); !strings.Contains(got, "Paket IT-WEEK dibuat") {
		t.Fatalf("after create: %q", got)
	}
	pkg, err := sys.store.GetPackage(t.Context(), "IT-WEEK")
	if err != nil || pkg.CentreCode != "BLK-SBY" || !pkg.AutoApprove || pkg.Capacity != 16 {
		t.Fatalf("package in the read model: %+v %v", pkg, err)
	}
	shot.take(ctx, "02-phone-package")

	// Upload the cohort: the preview starts nothing.
	run(t, ctx, "upload the cohort", chromedp.SetUploadFiles(css("#cohort-file-input"), []string{file}),
		chromedp.Submit(css("#cohort-upload")), chromedp.WaitVisible(css("#cohort-counts")))
	for outcome, n := range want {
		if got := text(t, ctx, "#count-"+outcome+" b"); got != strconv.Itoa(n) {
			t.Errorf("preview: %s %s rows, the CLI's validator says %d", got, outcome, n)
		}
	}
	cases, err := sys.store.ListCases(t.Context(), store.CaseFilter{PackageCode: "IT-WEEK"})
	if err != nil || len(cases) != 0 {
		t.Fatalf("after the preview the read model has %d cases (%v); want none", len(cases), err)
	}
	shot.take(ctx, "03-phone-cohort-preview")
	run(t, ctx, "start", chromedp.Click(css("#cohort-start-button")), chromedp.WaitVisible(css("#cohort-report")))
	if got := text(t, ctx, "#count-started b"); got != strconv.Itoa(want[importer.OutcomeValid]) {
		t.Fatalf("started %s, want %d", got, want[importer.OutcomeValid])
	}
	shot.take(ctx, "04-phone-cohort-started")
	cases, err = sys.store.ListCases(t.Context(), store.CaseFilter{PackageCode: "IT-WEEK"})
	if err != nil || len(cases) != want[importer.OutcomeValid] {
		t.Fatalf("read model: %d cases (%v), want %d", len(cases), err, want[importer.OutcomeValid])
	}
	// The same file again starts nobody twice.
	run(t, ctx, "upload the same file again", chromedp.Navigate(base+"/packages/IT-WEEK"), chromedp.WaitVisible(css("#cohort-upload")),
		chromedp.SetUploadFiles(css("#cohort-file-input"), []string{file}), chromedp.Submit(css("#cohort-upload")),
		chromedp.WaitVisible(css("#cohort-start-button")), chromedp.Click(css("#cohort-start-button")), chromedp.WaitVisible(css("#cohort-report")))
	if got := text(t, ctx, "#count-already-enrolled b"); got != strconv.Itoa(want[importer.OutcomeValid]) {
		t.Fatalf("again: %s already enrolled, want %d", got, want[importer.OutcomeValid])
	}
	if again, err := sys.store.ListCases(t.Context(), store.CaseFilter{PackageCode: "IT-WEEK"}); err != nil || len(again) != len(cases) {
		t.Fatalf("after the same file again the read model has %d cases (%v), want %d", len(again), err, len(cases))
	}
	correctInABrowser(t, sys, ctx, shot, refusedID, rightName)
	for _, c := range cases {
		sys.caseIn(c.CaseID, vocab.StageTraining, 40*time.Second)
	}

	// Today's register from the phone: everyone present but the first, unticked.
	absent := cases[0].CaseID
	run(t, ctx, "open today's register", chromedp.Navigate(base+"/packages/IT-WEEK/register?date="+day(0)),
		chromedp.WaitVisible(css("#register-form")))
	ticks := read(t, ctx, "count the ticks", chromedp.Evaluate[int](`document.querySelectorAll("#register-form input[name=tick]:checked").length`))
	if ticks != len(cases) {
		t.Fatalf("register shows %d ticked, want all %d", ticks, len(cases))
	}
	wide := read(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if wide > 390 {
		t.Errorf("the register is %d px wide on a 390 px phone", wide)
	}
	run(t, ctx, "untick one", chromedp.Click(css("#tick-"+absent)))
	shot.take(ctx, "05-phone-register")
	run(t, ctx, "save the register", chromedp.Click(css("#save-register")), chromedp.WaitVisible(css("#package-code")))
	if got := text(t, ctx, "#flash"); !strings.Contains(got, strconv.Itoa(len(cases)-1)+" hadir, 1 tidak hadir") {
		t.Fatalf("after saving: %q", got)
	}
	d, err := sys.store.AttendanceDayOf(t.Context(), "IT-WEEK", time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Marks) != len(cases) || d.RecordedBy != "siti" {
		t.Fatalf("stored register %+v", d)
	}
	for _, m := range d.Marks {
		if m.Present == (m.CaseID == absent) {
			t.Errorf("stored %s present=%v", m.CaseID, m.Present)
		}
	}
	if got := text(t, ctx, "#days-recorded"); got != "1" {
		t.Errorf("package page: %s days recorded, want 1", got)
	}
	shot.take(ctx, "06-phone-package-recorded")
}
