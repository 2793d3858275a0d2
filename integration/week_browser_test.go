package integration

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

// Issue 16 in a browser at 390 px, as a centre admin: creates a package in the form (three
// training days, the first two past), uploads a ';'-separated cohort with a BOM, sees every
// row's outcome from the import's validator before anything starts (nothing is in the read
// model yet), starts the valid rows (their cases are in the read model), uploads the same file
// again and starts nobody twice, corrects the record of the trainee BPJS refused from the case
// page (the read model and BPJS's own records show one registration after the correction), and
// records the register of each of the three days with one trainee absent on the last (the
// read model holds each day as ticked; the package page counts three). That trainee's 2 of 3
// days close the case not graduated; the others graduate. As an LSP manager: enters the full
// set of unit results of one graduate on the case page (the read model's assessment-result
// holds every unit) and approves the certificates from the inbox. Back as the centre admin, on
// the follow-ups page: a formal placement with employer and start day, a self-employed one,
// and one "not reached" (the read model closes the first two with those outcomes and the
// journey holds the employer and the day; the third stays in follow-up with the contact on its
// timeline).
//
// Shortened like the other integration tests: the package's last day ends a minute after
// it is created (the form takes days; the test moves the end in the store before anyone
// enrols, and the journeys copy it when they start), the LSP's own result comes 25 s after the
// schedule (so the manager's entry comes first) and a follow-up month is an hour.
func TestCentreAdminWeekInABrowser(t *testing.T) {
	began := time.Now()
	cfg := fastConfig(t)
	cfg.Journey.Month = time.Hour
	// The LSP's own result comes late, so the manager's entry comes first (it takes a few
	// seconds); it must come at all, as the LSP issues a certificate only for an assessment it
	// has a result of; the certificate is asked for again every 3 s at most (as in the parity
	// test).
	cfg.Simulators.LSP.ResultDelay = 25 * time.Second
	cfg.Partners.RetryMax = 3 * time.Second
	sys := startSystem(t, cfg)
	loc := sys.svc.Location()
	// The package's last day must stay today until it ends: not across midnight in WIB.
	awayFromMidnight(t, loc, 4*time.Minute)
	ctx := newBrowser(t)
	shot := newShots(t)
	base := sys.api.URL
	today := time.Now().In(loc)
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	firstDay, _ := time.ParseInLocation(time.DateOnly, day(-2), loc)
	file, want := weekCohort(t, 13, firstDay)
	if want[importer.OutcomeValid] < 4 || want[importer.OutcomeRejected] < 1 {
		t.Fatalf("the cohort's first rows give %v; want at least 4 valid and some rejected", want)
	}
	// BPJS will refuse one trainee's data: the population register knows a longer name.
	refusedID, rightName := refuseOneInBPJS(t, sys, file, "IT-WEEK")

	run(t, ctx, "phone size, name given", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(base+"/packages"), chromedp.WaitVisible(css("#create-package")),
		chromedp.SetValue(css("#actor-name"), "siti"), chromedp.Submit(css("form.actor")), chromedp.WaitVisible(css("#flash")))

	// Create the package: three training days, today the last.
	run(t, ctx, "fill the package form",
		chromedp.SetValue(css(`#create-package [name=code]`), "IT-WEEK"),
		chromedp.SetValue(css(`#create-package [name=centre]`), "BLK-SBY"),
		chromedp.SetValue(css(`#create-package [name=trade]`), "Las"),
		chromedp.SetValue(css(`#create-package [name=scheme]`), "SKM-LAS"),
		chromedp.SetValue(css(`#create-package [name=lsp]`), "LSP-BLK-SBY"),
		chromedp.SetValue(css(`#create-package [name=start]`), day(-2)),
		chromedp.SetValue(css(`#create-package [name=end]`), day(0)),
		chromedp.SetValue(css(`#create-package [name=hours]`), "40"),
		chromedp.SetValue(css(`#create-package [name=capacity]`), "16"),
		chromedp.Click(css(`#create-package [name=auto_approve]`)))
	shot.take(ctx, "01-phone-package-form")
	run(t, ctx, "create the package", chromedp.Submit(css("#create-package")), chromedp.WaitVisible(css("#package-code")))
	if got := text(t, ctx, "#flash"); !strings.Contains(got, "Paket IT-WEEK dibuat") {
		t.Fatalf("after create: %q", got)
	}
	pkg, err := sys.store.GetPackage(t.Context(), "IT-WEEK")
	if err != nil || pkg.CentreCode != "BLK-SBY" || !pkg.AutoApprove || pkg.Capacity != 16 || pkg.StartDate.In(loc).Format(time.DateOnly) != day(-2) {
		t.Fatalf("package in the read model: %+v %v", pkg, err)
	}
	// Shortened: today's training ends in trainingLeft, not at midnight.
	end := time.Now().Add(trainingLeft).Truncate(time.Second)
	if _, err := sys.store.Pool().Exec(t.Context(), `UPDATE training_packages SET end_date = $1 WHERE code = 'IT-WEEK'`, end); err != nil {
		t.Fatal(err)
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
	run(t, ctx, "start", chromedp.Click(css("#cohort-start-button")))
	cohortOutcome(t, ctx)
	if got := text(t, ctx, "#count-started b"); got != strconv.Itoa(want[importer.OutcomeValid]) {
		t.Fatalf("started %s, want %d", got, want[importer.OutcomeValid])
	}
	shot.take(ctx, "04-phone-cohort-started")
	// The journeys write their cases to the read model as they begin, a moment after the start
	// (the cohort upload test saw 24 of 28 right after the outcome page).
	eventually(t, 30*time.Second, "the started rows' cases in the read model", func() (bool, string) {
		cases, err = sys.store.ListCases(t.Context(), store.CaseFilter{PackageCode: "IT-WEEK"})
		return err == nil && len(cases) == want[importer.OutcomeValid], fmt.Sprintf("read model: %d cases (%v), want %d", len(cases), err, want[importer.OutcomeValid])
	})
	// The same file again starts nobody twice: its preview says already enrolled, with no Start.
	run(t, ctx, "upload the same file again", chromedp.Navigate(base+"/packages/IT-WEEK"), chromedp.WaitVisible(css("#cohort-upload")),
		chromedp.SetUploadFiles(css("#cohort-file-input"), []string{file}), chromedp.Submit(css("#cohort-upload")),
		chromedp.WaitVisible(css("#cohort-none")))
	if got := text(t, ctx, "#count-already-enrolled b"); got != strconv.Itoa(want[importer.OutcomeValid]) {
		t.Fatalf("again: the preview says %s already enrolled, want %d", got, want[importer.OutcomeValid])
	}
	if read(t, ctx, "start button", chromedp.Evaluate[bool](`document.querySelector("#cohort-start-button") !== null`)) {
		t.Fatal("again: the preview offers to start, with every valid row enrolled")
	}
	if again, err := sys.store.ListCases(t.Context(), store.CaseFilter{PackageCode: "IT-WEEK"}); err != nil || len(again) != len(cases) {
		t.Fatalf("after the same file again the read model has %d cases (%v), want %d", len(again), err, len(cases))
	}
	correctInABrowser(t, sys, ctx, shot, refusedID, rightName)
	for _, c := range cases {
		sys.caseIn(c.CaseID, vocab.StageTraining, 40*time.Second)
	}

	// The three days' registers from the phone: everyone present, but the first trainee is
	// absent on the last day.
	absent := cases[0].CaseID
	for n := -2; n <= 0; n++ {
		var missing []string
		if n == 0 {
			missing = []string{absent}
		}
		registerInABrowser(t, sys, ctx, shot, day(n), len(cases), missing)
	}
	shot.take(ctx, "06-phone-package-recorded")
	if got := text(t, ctx, "#days-recorded"); got != "3" {
		t.Errorf("package page: %s days recorded, want 3", got)
	}
	t.Logf("%s: registers recorded, %v before the training ends", time.Since(began).Round(time.Second), time.Until(end).Round(time.Second))
	if time.Now().After(end) {
		t.Fatalf("the registers took longer than the training (%v): lengthen trainingLeft", trainingLeft)
	}

	// 2 of 3 days: not graduated; the others go on to their assessment.
	if c := sys.caseIn(absent, vocab.StageClosed, trainingLeft+30*time.Second); c.Outcome != vocab.OutcomeNotGraduated {
		t.Fatalf("the trainee absent one day of three closed %s, want not-graduated", c.Outcome)
	}
	var graduates []string
	for _, c := range cases[1:] {
		graduates = append(graduates, c.CaseID)
	}
	certifyInABrowser(t, sys, ctx, shot, graduates)
	t.Logf("%s: certified", time.Since(began).Round(time.Second))
	followUpsInABrowser(t, sys, ctx, shot, graduates[:3], day(0))
	t.Logf("the week took %s", time.Since(began).Round(time.Second))
}

// trainingLeft is how long the week test's last training day lasts after the package is
// created: the upload, the correction and three registers in Chromium took 10 to 20 s on a
// two-core machine at a load of 40; three times that leaves room (the test logs what was left).
const trainingLeft = 60 * time.Second

// cohortOutcome waits until the started upload's page shows its outcome with the row report:
// the server starts the cohort as a job, and until it ends its page shows the progress and
// reloads itself, so the page may be between two loads when it is read.
func cohortOutcome(t *testing.T, ctx context.Context) {
	t.Helper()
	eventually(t, time.Minute, "the cohort's outcome page", func() (bool, string) {
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#cohort-report") !== null && document.readyState === "complete"`))
		if err != nil {
			return false, err.Error()
		}
		return done, "the progress page"
	})
}

// awayFromMidnight waits, if midnight in loc is closer than margin, until it has passed: a
// test whose "today" must not change while it runs.
func awayFromMidnight(t *testing.T, loc *time.Location, margin time.Duration) {
	t.Helper()
	now := time.Now().In(loc)
	midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, loc)
	if left := midnight.Sub(now); left < margin {
		t.Logf("midnight in %s is %v away: the test starts after it", loc, left.Round(time.Second))
		eventually(t, margin+time.Minute, "midnight passed", func() (bool, string) {
			return time.Now().After(midnight), "not yet"
		})
	}
}

// registerInABrowser records one day's register from the phone-sized window: every trainee
// listed and ticked present at first, the absent ones unticked; the read model then holds the
// day as ticked, by siti.
func registerInABrowser(t *testing.T, sys *system, ctx context.Context, shot *shots, date string, trainees int, absent []string) {
	t.Helper()
	run(t, ctx, "open the register of "+date, chromedp.Navigate(sys.api.URL+"/packages/IT-WEEK/register?date="+date),
		chromedp.WaitVisible(css("#register-form")))
	ticks := read(t, ctx, "count the ticks", chromedp.Evaluate[int](`document.querySelectorAll("#register-form input[name=tick]:checked").length`))
	if ticks != trainees {
		t.Fatalf("the register of %s shows %d ticked, want all %d", date, ticks, trainees)
	}
	if wide := read(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); wide > 390 {
		t.Errorf("the register is %d px wide on a 390 px phone", wide)
	}
	for _, id := range absent {
		run(t, ctx, "untick "+id, chromedp.Click(css("#tick-"+id)))
	}
	if len(absent) > 0 {
		shot.take(ctx, "05-phone-register-"+date)
	}
	run(t, ctx, "save the register of "+date, chromedp.Click(css("#save-register")), chromedp.WaitVisible(css("#package-code")))
	if got := text(t, ctx, "#flash"); !strings.Contains(got, strconv.Itoa(trainees-len(absent))+" hadir, "+strconv.Itoa(len(absent))+" tidak hadir") {
		t.Fatalf("after saving %s: %q", date, got)
	}
	on, err := time.Parse(time.DateOnly, date)
	if err != nil {
		t.Fatal(err)
	}
	d, err := sys.store.AttendanceDayOf(t.Context(), "IT-WEEK", on)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Marks) != trainees || d.RecordedBy != "siti" {
		t.Fatalf("stored register of %s: %+v", date, d)
	}
	for _, m := range d.Marks {
		if m.Present == slices.Contains(absent, m.CaseID) {
			t.Errorf("%s stored %s present=%v", date, m.CaseID, m.Present)
		}
	}
}
