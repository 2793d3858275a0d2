package integration

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// browserFlags are the flags Debian's Chromium runs with in CI: headless, no sandbox (CI runs
// as root), nothing fetched from the internet.
var browserFlags = []chromedp.ExecAllocatorOption{
	chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
	chromedp.Flag("disable-background-networking", true),
	chromedp.Flag("disable-component-update", true),
	chromedp.Flag("disable-sync", true),
	chromedp.Flag("no-default-browser-check", true),
	chromedp.Flag("hide-scrollbars", true),
	chromedp.WindowSize(1280, 900),
}

// newBrowser starts Chromium for one test; it is a failure, not a skip, when it is missing.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("Chromium is needed for the browser tests: apt-get install -y chromium (.ci/run installs it)")
	}
	opts := append([]chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir())}, browserFlags...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// shots saves full-page screenshots under artifacts/browser/<test>/ at the repository root.
type shots struct {
	t   *testing.T
	dir string
}

func newShots(t *testing.T) *shots {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "artifacts", "browser", t.Name()))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return &shots{t: t, dir: dir}
}

func (s *shots) take(ctx context.Context, name string) {
	s.t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(s.dir, name+".png"), png, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// run runs browser steps, failing the test with what was being done.
func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %s: %v", what, err)
	}
}

// read runs one browser action that returns a value.
func read[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %s: %v", what, err)
	}
	return v
}

// text returns the text of the first element matching the CSS selector.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return read(t, ctx, "read "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// css selects the first element matching a CSS selector.
func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// A person works the pages in Chromium against the whole system: the overview counts the
// cases; a case stuck on BPJS shows on the stuck page with its attempts and last error and
// opens to its case page; after the outage, "retry now" there moves it on; a certification is
// approved from the inbox and the case page shows it moving on with its certificate.
func TestPagesInABrowser(t *testing.T) {
	cfg := fastConfig(t)
	cfg.SLA.Insurance = 3 * time.Second
	// The certified case must still be in placement follow-up when its page is read: with
	// two-second months it could close before the browser looks, as it did under CI load.
	cfg.Journey.Month = time.Hour
	sys := startSystem(t, cfg)
	ctx := newBrowser(t)
	shot := newShots(t)
	base := sys.api.URL

	// A case that will wait for its certificate approval: insured before BPJS goes down.
	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-WEB-CERT", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS",
		LSP: "LSP-BLK-SBY", Start: now.Add(4 * time.Second).Format(time.RFC3339), End: now.Add(7 * time.Second).Format(time.RFC3339),
		Hours: 240, AutoApprove: true})
	cert := enrol(t, sys, pkg.Code, validPeople(t, pkg.StartDate, 1))[0]
	sys.caseIn(cert, vocab.StageTraining, 20*time.Second)
	days := 1
	var ur workflows.UpdateResult
	if code := sys.call("POST", "/api/v1/cases/"+cert+"/attendance", workflows.Attendance{
		Actor: workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}, Attended: &days}, &ur); code != http.StatusOK {
		t.Fatalf("attendance: HTTP %d", code)
	}
	// A case stuck on BPJS.
	sys.sims.BPJS.StartOutage(time.Hour)
	stuck := outagePackage(t, sys, "IT-WEB-STUCK", 1)[0]
	sys.caseIn(cert, vocab.StageCertification, 40*time.Second)
	eventually(t, 40*time.Second, "case "+stuck+" stuck with attempts", func() (bool, string) {
		c, err := sys.store.GetCase(t.Context(), stuck)
		return err == nil && c.Stuck && c.Attempts >= 2, fmt.Sprintf("%+v", c.StuckCode)
	})

	// The overview, on a laptop.
	run(t, ctx, "open the overview", chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/"), chromedp.WaitVisible(css("#funnel-chart")))
	if got := text(t, ctx, "#total-cases"); got != "2" {
		t.Fatalf("overview: %s cases, want 2", got)
	}
	if got := text(t, ctx, "#total-stuck"); got != "1" {
		t.Fatalf("overview: %s stuck, want 1", got)
	}
	if got := text(t, ctx, "#centre-BLK-SBY"); !strings.Contains(got, "BLK-SBY") {
		t.Fatalf("overview row: %q", got)
	}
	shot.take(ctx, "01-overview")
	accessible(t, ctx, "overview")
	fitsTheScreen(t, ctx, "overview")
	centreTableFits(t, ctx)

	// Tell the pages who is acting.
	run(t, ctx, "give a name",
		chromedp.SetValue(css("#actor-name"), "budi"),
		chromedp.Submit(css("form.actor")),
		chromedp.WaitVisible(css("#flash")))

	// The stuck page lists the case with the partner's attempts and last error.
	run(t, ctx, "open the stuck page", chromedp.Navigate(base+"/stuck"), chromedp.WaitVisible(css("#stuck-"+stuck)))
	card := text(t, ctx, "#stuck-"+stuck)
	for _, want := range []string{"503", "Penghubung BPJS", "Coba lagi sekarang"} {
		if !strings.Contains(card, want) {
			t.Errorf("stuck card lacks %q:\n%s", want, card)
		}
	}
	// One zone on a card: the simulator's "outage until <UTC time>" is shown in WIB too.
	if !strings.Contains(card, "WIB") || regexp.MustCompile(`\d{2}:\d{2}(:\d{2})?Z|UTC`).MatchString(card) {
		t.Errorf("stuck card mixes time zones or lacks WIB:\n%s", card)
	}
	if got := text(t, ctx, "#stuck-"+stuck+" .attempts"); got == "" || got == "0" || got == "1" {
		t.Errorf("attempts shown: %q", got)
	}
	shot.take(ctx, "02-stuck")
	accessible(t, ctx, "stuck")

	// Open the stuck case.
	run(t, ctx, "open the stuck case", chromedp.Click(css("#stuck-"+stuck+" a.case")), chromedp.WaitVisible(css("#stuck-box")))
	if got := text(t, ctx, "#case-id"); got != stuck {
		t.Fatalf("case page of %q, want %s", got, stuck)
	}
	if got := text(t, ctx, "#pending"); !strings.Contains(got, "RegisterInsurance") || !strings.Contains(got, "503") {
		t.Errorf("pending calls: %q", got)
	}
	link := read(t, ctx, "read the Temporal link", chromedp.AttributeValue(css("#temporal-link"), "href"))
	if !link.Exists || !strings.Contains(link.Value, "/namespaces/default/workflows/journey%2FIT-WEB-STUCK%2F") {
		t.Errorf("Temporal Web UI link %+v", link)
	}
	shot.take(ctx, "03-case-stuck")
	accessible(t, ctx, "stuck case")

	// BPJS is back: retry now moves the case on.
	sys.sims.BPJS.EndOutage()
	run(t, ctx, "retry now", chromedp.Click(css("#stuck-box button.retry")), chromedp.WaitVisible(css("#flash")))
	if got := text(t, ctx, "#flash"); !strings.Contains(got, "retry now: RegisterInsurance") {
		t.Fatalf("after retry: %q", got)
	}
	stageIs(t, ctx, base+"/cases/"+stuck, "training", 20*time.Second)
	shot.take(ctx, "04-case-retried")

	// The inbox has the certification; approve it in place.
	run(t, ctx, "open the inbox", chromedp.Navigate(base+"/inbox?role=lsp-manager"), chromedp.WaitVisible(css("#inbox-"+cert)))
	if got := text(t, ctx, "#group-certification-approval"); !strings.Contains(got, cert) {
		t.Fatalf("certification group: %q", got)
	}
	shot.take(ctx, "05-inbox")
	accessible(t, ctx, "inbox")
	run(t, ctx, "approve the certification", chromedp.Click(css("#inbox-"+cert+" button.approve")), chromedp.WaitVisible(css("#flash")))
	if got := text(t, ctx, "#flash"); !strings.Contains(got, "sertifikasi disetujui") {
		t.Fatalf("after approving: %q", got)
	}
	left := read(t, ctx, "count the inbox", chromedp.Evaluate[int](`document.querySelectorAll("#inbox-`+cert+`").length`))
	if left != 0 {
		t.Fatal("the approved case is still in the inbox")
	}
	shot.take(ctx, "06-inbox-approved")

	// The case moves on: certified, then in placement follow-up.
	stageIs(t, ctx, base+"/cases/"+cert, "placement", 30*time.Second)
	if got := text(t, ctx, "#certificate"); !strings.Contains(got, "berlaku s.d.") {
		t.Errorf("certificate: %q", got)
	}
	if got := text(t, ctx, "#timeline"); !strings.Contains(got, "Penerbitan sertifikat disetujui") || !strings.Contains(got, "budi") {
		t.Errorf("timeline lacks the approval by budi")
	}
	shot.take(ctx, "07-case-certified")
	accessible(t, ctx, "certified case")
	for _, p := range []string{"/cases", "/mous"} {
		run(t, ctx, "open "+p, chromedp.Navigate(base+p), chromedp.WaitVisible(css("main h1")))
		accessible(t, ctx, p)
		fitsTheScreen(t, ctx, p)
	}
	notFoundPage(t, ctx, base)

	// The same pages on a phone: the funnel's words at the page's size, the per-centre table
	// as cards, nothing scrolling sideways, 44 px tap targets, no serious axe-core finding.
	run(t, ctx, "phone size", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)), chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(css("#funnel-chart")))
	shot.take(ctx, "08-phone-overview")
	accessible(t, ctx, "overview on a phone")
	fitsTheScreen(t, ctx, "overview on a phone")
	if px := read(t, ctx, "funnel text size", chromedp.Evaluate[float64](`parseFloat(getComputedStyle(document.querySelector("#funnel-chart .lbl")).fontSize)`)); px < 14 {
		t.Errorf("the funnel's labels are %.1f px on a phone, want at least 14", px)
	}
	if got := read(t, ctx, "centre rows as cards", chromedp.Evaluate[string](`getComputedStyle(document.querySelector("#centre-BLK-SBY")).display`)); got != "grid" {
		t.Errorf("per-centre row on a phone: display %q, want the card's grid", got)
	}
	run(t, ctx, "phone case", chromedp.Navigate(base+"/cases/"+cert), chromedp.WaitVisible(css("#timeline")))
	shot.take(ctx, "09-phone-case")
	accessible(t, ctx, "case on a phone")
	fitsTheScreen(t, ctx, "case on a phone")
	for _, p := range []string{"/stuck", "/inbox", "/cases", "/mous"} {
		run(t, ctx, "open "+p+" on a phone", chromedp.Navigate(base+p), chromedp.WaitVisible(css("main h1")))
		accessible(t, ctx, p+" on a phone")
		fitsTheScreen(t, ctx, p+" on a phone")
	}
	run(t, ctx, "phone stuck page", chromedp.Navigate(base+"/stuck"), chromedp.WaitVisible(css("details.fold > summary")))
	if open := read(t, ctx, "filters folded", chromedp.Evaluate[bool](`document.querySelector("details.fold").open`)); open {
		t.Error("the stuck page's filters are unfolded on a phone without a filter set")
	}
	shot.take(ctx, "10-phone-stuck")
	notFoundPage(t, ctx, base)
	shot.take(ctx, "11-phone-404")
}

// notFoundPage opens a page that does not exist: the Indonesian 404 page, not Go's plain text.
func notFoundPage(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	run(t, ctx, "open a page that does not exist", chromedp.Navigate(base+"/tidak/ada"), chromedp.WaitVisible(css("#problem")))
	if got := text(t, ctx, "#problem h1"); !strings.Contains(got, "Halaman tidak ditemukan") {
		t.Errorf("404 page: %q", got)
	}
	if lang := read(t, ctx, "404 page language", chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "id" {
		t.Errorf("404 page lang=%q", lang)
	}
	accessible(t, ctx, "404 page")
	fitsTheScreen(t, ctx, "404 page")
}

// centreTableFits checks, at a laptop's width, that the per-centre table's last column is on
// screen without scrolling the table or the page.
func centreTableFits(t *testing.T, ctx context.Context) {
	t.Helper()
	js := `(() => {
  const box = document.querySelector("#centres").parentElement, last = document.querySelector("#centres thead th:last-child");
  return [box.scrollWidth - box.clientWidth, Math.round(last.getBoundingClientRect().right), window.innerWidth];
})()`
	got := read(t, ctx, "measure the per-centre table", chromedp.Evaluate[[]int](js))
	if got[0] > 0 || got[1] > got[2] {
		t.Errorf("per-centre table at %d px: scrolls by %d px, last column ends at %d px", got[2], got[0], got[1])
	}
}

// stageIs reloads a case page until its stage badge shows stage.
func stageIs(t *testing.T, ctx context.Context, url, stage string, within time.Duration) {
	t.Helper()
	eventually(t, within, "case page showing stage "+stage, func() (bool, string) {
		if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(css("#case-stage"))); err != nil {
			return false, err.Error()
		}
		got, err := chromedp.Run(ctx, chromedp.AttributeValue(css("#case-stage"), "data-stage"))
		if err != nil {
			return false, err.Error()
		}
		return got.Value == stage, got.Value
	})
}
