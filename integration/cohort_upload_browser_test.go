package integration

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// sampleBadRows is the list of the sample cohort's deliberately broken rows: data row, kind.
const sampleBadRows = "../examples/sample-cohort.bad-rows.tsv"

// Issue 16's cohort upload in Chromium, as a centre admin, with the whole sample cohort (48
// rows, 20 broken on purpose): at 1366 px the cohort as an XLSX workbook with text-formatted
// columns (as Excel keeps a NIK whole) shows in its preview the 20 bad rows, each with the
// reason `kompeten import`'s validator gives (and the kind the sample's list names), and the
// 28 others valid, with nothing in the read model yet; Start runs the job, the test follows
// the progress page until the outcome, and exactly the 28 valid rows have cases in the read
// model and journeys in Temporal. Then at 390 px the same people as a ';'-separated CSV with a
// byte-order mark (as Excel in Indonesia saves it) into the same package: the same 20 reasons,
// and the preview reads already-enrolled for all 28 with the same case IDs, offers no Start
// and creates nothing (the read model and Temporal still hold 28).
//
// The preview is a dry run like `kompeten import --dry-run`: the validator, and the API's
// question which rows are enrolled already (POST /api/v1/packages/{code}/enrolled).
func TestCohortUploadXLSXAndCSVInABrowser(t *testing.T) {
	began := time.Now()
	sys := startSystem(t, fastConfig(t))
	// The sample's README: every row not in its bad-rows list is valid for a package starting
	// 2027-02-01 (the underage rows are underage on that day).
	pkg := createPackage(t, sys, api.PackageRequest{
		Code: "IT-UPLOAD", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: "2027-02-01", End: "2027-03-31", Capacity: 40,
	})
	rules := cohort.Rules{StartDate: pkg.StartDate.In(sys.svc.Location()), MinAge: sys.cfg.Journey.MinAge, MaxAge: sys.cfg.Journey.MaxAge}
	bad := readBadRows(t)
	if len(bad) != 20 {
		t.Fatalf("%s lists %d rows, want 20", sampleBadRows, len(bad))
	}
	recs := sampleRecords(t)
	dir := t.TempDir()
	xlsxPath := writeCohortXLSX(t, filepath.Join(dir, "peserta.xlsx"), recs)
	csvPath := writeCohortCSV(t, filepath.Join(dir, "peserta.csv"), recs)

	ctx := newBrowser(t)
	shot := newShots(t)
	base := sys.api.URL
	run(t, ctx, "desktop size, name given", chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(base+"/packages/IT-UPLOAD"), chromedp.WaitVisible(css("#cohort-upload")),
		chromedp.SetValue(css("#actor-name"), "siti"), chromedp.Submit(css("form.actor")), chromedp.WaitVisible(css("#flash")))

	// The workbook: the preview is the validator's dry run, row for row; nothing starts.
	preview(t, ctx, base, xlsxPath, validatorReasons(t, xlsxPath, rules, bad), importer.OutcomeValid)
	if n, err := sys.store.CountCases(t.Context(), store.CaseFilter{PackageCode: "IT-UPLOAD"}); err != nil || n != 0 {
		t.Fatalf("after the preview the read model has %d cases (%v); want none", n, err)
	}
	shot.take(ctx, "01-desktop-xlsx-preview")
	first := startUpload(t, ctx)
	shot.take(ctx, "02-desktop-xlsx-started")
	if n := first[starter.OutcomeStarted] + first[starter.OutcomeWarnedStarted]; n != 28 || first[importer.OutcomeRejected] != 20 || total(first) != 48 {
		t.Fatalf("after Start the page counts %v; want 28 started (warned or not) and 20 rejected", first)
	}
	caseIDs := pageCaseIDs(t, ctx)
	// The journeys write their cases to the read model as they begin, a moment after the start.
	eventually(t, 30*time.Second, "the page's 28 cases in the read model", func() (bool, string) {
		stored := storedCases(t, sys, "IT-UPLOAD")
		return len(caseIDs) == 28 && slices.Equal(stored, caseIDs), fmt.Sprintf("the read model has %d cases %v; the page's valid rows have %d %v", len(stored), stored, len(caseIDs), caseIDs)
	})
	journeysAre(t, sys, "IT-UPLOAD", 28)
	t.Logf("%s: the workbook's 28 valid rows started", time.Since(began).Round(time.Second))

	// The same people as Excel's Indonesian CSV, on a phone: nobody starts twice.
	run(t, ctx, "phone size", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	preview(t, ctx, base, csvPath, validatorReasons(t, csvPath, rules, bad), starter.OutcomeAlreadyEnrolled)
	if wide := read(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); wide > 390 {
		t.Errorf("the preview is %d px wide on a 390 px phone", wide)
	}
	shot.take(ctx, "03-phone-csv-preview")
	if ids := pageCaseIDs(t, ctx); !slices.Equal(ids, caseIDs) {
		t.Fatalf("already-enrolled rows name cases %v; the first start made %v", ids, caseIDs)
	}
	if stored := storedCases(t, sys, "IT-UPLOAD"); !slices.Equal(stored, caseIDs) {
		t.Fatalf("after the same people again the read model has %d cases %v; want the first 28 %v", len(stored), stored, caseIDs)
	}
	journeysAre(t, sys, "IT-UPLOAD", 28)
	t.Logf("the two uploads took %s", time.Since(began).Round(time.Second))
}

// preview uploads file on the package page and checks the preview against the validator:
// every row's outcome (good, the outcome the good rows read: valid, or already-enrolled when
// they are), and each rejected row's reason as the dry run words it. Valid rows are offered to
// Start, counted on its button; with none there is no Start.
func preview(t *testing.T, ctx context.Context, base, file string, reasons map[int]string, good string) {
	t.Helper()
	shown := "#cohort-start-button"
	if good != importer.OutcomeValid {
		shown = "#cohort-none"
	}
	run(t, ctx, "upload "+filepath.Base(file), chromedp.Navigate(base+"/packages/IT-UPLOAD"), chromedp.WaitVisible(css("#cohort-upload")),
		chromedp.SetUploadFiles(css("#cohort-file-input"), []string{file}), chromedp.Submit(css("#cohort-upload")),
		chromedp.WaitVisible(css(shown)))
	if got := text(t, ctx, "#cohort-file"); got != filepath.Base(file) {
		t.Errorf("the preview names the file %q, want %q", got, filepath.Base(file))
	}
	if counts := pageCounts(t, ctx); counts[good] != 28 || counts[importer.OutcomeRejected] != 20 || len(counts) != 2 {
		t.Fatalf("preview of %s counts %v; want 28 %s and 20 rejected", filepath.Base(file), counts, good)
	}
	if good == importer.OutcomeValid {
		if got := text(t, ctx, "#cohort-start-button"); !strings.Contains(got, "28") {
			t.Errorf("the start button reads %q; want it to name the 28 to start", got)
		}
	} else if read(t, ctx, "start button", chromedp.Evaluate[bool](`document.querySelector("#cohort-start-button") !== null`)) {
		t.Errorf("the preview offers to start, with no row to start")
	}
	rows := read(t, ctx, "the preview's rows", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll("#cohort-rows tbody tr")).map(
		tr => [tr.cells[0].textContent.trim(), tr.dataset.outcome, tr.cells[4].firstChild ? tr.cells[4].firstChild.textContent : ""])`))
	if len(rows) != 48 {
		t.Fatalf("the preview lists %d rows, want 48", len(rows))
	}
	for _, r := range rows {
		line, err := strconv.Atoi(r[0])
		if err != nil {
			t.Fatalf("row number %q: %v", r[0], err)
		}
		want, isBad := reasons[line]
		switch {
		case isBad && (r[1] != importer.OutcomeRejected || r[2] != want):
			t.Errorf("%s row %d: %s %q; the validator: rejected %q", filepath.Base(file), line, r[1], r[2], want)
		case !isBad && r[1] != good:
			t.Errorf("%s row %d: %s %q; want %s", filepath.Base(file), line, r[1], r[2], good)
		}
	}
}

// startUpload presses Start on the preview and follows the upload's page (the job's progress,
// which reloads itself) until its outcome; it returns the page's counts.
func startUpload(t *testing.T, ctx context.Context) map[string]int {
	t.Helper()
	run(t, ctx, "start", chromedp.Click(css("#cohort-start-button")))
	cohortOutcome(t, ctx)
	// Start answers with the upload's own page (the job's progress, then its outcome).
	if at := read(t, ctx, "the page's address", chromedp.Location()); !uploadPage.MatchString(at) {
		t.Errorf("after Start the browser is at %s, want the upload's page", at)
	}
	if p := read(t, ctx, "progress bar", chromedp.Evaluate[bool](`document.querySelector("#cohort-progress") !== null`)); p {
		t.Error("the outcome page still shows the progress bar")
	}
	return pageCounts(t, ctx)
}

// uploadPage is the address of an upload's page: its progress and then its outcome.
var uploadPage = regexp.MustCompile(`/packages/IT-UPLOAD/cohort/[0-9a-f]{32}$`)

// pageCounts reads the upload page's counts by outcome.
func pageCounts(t *testing.T, ctx context.Context) map[string]int {
	t.Helper()
	counts := read(t, ctx, "the counts", chromedp.Evaluate[map[string]string](`Object.fromEntries(Array.from(
		document.querySelectorAll("#cohort-counts li")).map(li => [li.id.replace(/^count-/, ""), li.querySelector("b").textContent]))`))
	out := map[string]int{}
	for k, v := range counts {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("count %s: %q", k, v)
		}
		out[k] = n
	}
	return out
}

// total is the number of rows counts counts.
func total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// pageCaseIDs is the sorted case IDs the upload's outcome page links its rows to.
func pageCaseIDs(t *testing.T, ctx context.Context) []string {
	t.Helper()
	ids := read(t, ctx, "the rows' cases", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#cohort-rows tbody tr td.code a")).map(a => a.textContent)`))
	slices.Sort(ids)
	return ids
}

// storedCases is the sorted case IDs of the package in the read model.
func storedCases(t *testing.T, sys *system, pkg string) []string {
	t.Helper()
	cases, err := sys.store.ListCases(t.Context(), store.CaseFilter{PackageCode: pkg})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, len(cases))
	for _, c := range cases {
		ids = append(ids, c.CaseID)
	}
	slices.Sort(ids)
	return ids
}

// journeysAre waits until Temporal's visibility counts n journeys of the package (it lags the
// start a little), and fails on more.
func journeysAre(t *testing.T, sys *system, pkg string, n int64) {
	t.Helper()
	eventually(t, 30*time.Second, fmt.Sprintf("%d journeys of %s in Temporal", n, pkg), func() (bool, string) {
		resp, err := sys.tc.CountWorkflow(t.Context(), &workflowservice.CountWorkflowExecutionsRequest{
			Namespace: sys.cfg.Temporal.Namespace, Query: fmt.Sprintf("KompetenPackage = '%s'", pkg),
		})
		if err != nil {
			return false, err.Error()
		}
		if resp.GetCount() > n {
			t.Fatalf("Temporal holds %d journeys of %s, want %d", resp.GetCount(), pkg, n)
		}
		return resp.GetCount() == n, fmt.Sprintf("count=%d", resp.GetCount())
	})
}

// validatorReasons runs `kompeten import`'s validator on file (a dry run) and returns each
// rejected row's reason as the pages word it in Indonesian; it fails unless the rejected rows are the sample's list of bad rows,
// each rejected for its listed kind.
func validatorReasons(t *testing.T, file string, rules cohort.Rules, bad map[int]string) map[int]string {
	t.Helper()
	rows, err := cohort.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importer.Run(t.Context(), rows, "", nil, importer.Options{DryRun: true, Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	reasons, words := map[int]string{}, map[int]string{}
	// The pages word a reason in the reader's language (Indonesian here) from its catalogue
	// code; the validator's English serves only a reason written without one.
	id := i18n.For(i18n.ID, nil)
	for _, r := range rep.Rows {
		if r.Outcome == importer.OutcomeRejected {
			reasons[r.Line], words[r.Line] = r.Reason, r.Reason
			if r.Why.Code != "" {
				words[r.Line] = r.Why.In(id)
			}
		}
	}
	if got, want := slices.Sorted(maps.Keys(reasons)), slices.Sorted(maps.Keys(bad)); !slices.Equal(got, want) {
		t.Fatalf("%s: the validator rejects rows %v; the sample lists %v", filepath.Base(file), got, want)
	}
	for line, kind := range bad {
		if !strings.HasPrefix(reasons[line], kind+": ") {
			t.Errorf("%s row %d: the validator says %q; the sample lists %s", filepath.Base(file), line, reasons[line], kind)
		}
	}
	return words
}

// readBadRows reads the sample cohort's list of broken rows: data row → kind.
func readBadRows(t *testing.T) map[int]string {
	t.Helper()
	f, err := os.Open(sampleBadRows)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bad := map[int]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, kind, ok := strings.Cut(strings.TrimSpace(sc.Text()), "\t")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(line)
		if err != nil {
			t.Fatalf("%s: %q: %v", sampleBadRows, sc.Text(), err)
		}
		bad[n] = kind
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return bad
}

// sampleRecords is the sample cohort's cells, header first.
func sampleRecords(t *testing.T) [][]string {
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
	return recs
}

// writeCohortXLSX writes recs as a workbook whose columns are formatted as text, as a centre
// keeps NIKs and phone numbers whole in Excel (a number cell would lose the NIK's last digit
// and the phone's leading 0).
func writeCohortXLSX(t *testing.T, path string, recs [][]string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@"
	if err != nil {
		t.Fatal(err)
	}
	last, err := excelize.ColumnNumberToName(len(recs[0]))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetColStyle(sheet, "A:"+last, textStyle); err != nil {
		t.Fatal(err)
	}
	for i, rec := range recs {
		for j, v := range rec {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeCohortCSV writes recs as Excel saves a CSV in Indonesia: ';'-separated, with a
// byte-order mark.
func writeCohortCSV(t *testing.T, path string, recs [][]string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.Comma = ';'
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
