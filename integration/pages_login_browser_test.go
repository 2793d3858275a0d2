package integration

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// pageWidths are the two windows the browser test uses: a phone and a laptop.
var pageWidths = []struct {
	name          string
	width, height int64
}{{"phone", 390, 844}, {"desktop", 1366, 900}}

// pagePerson is one account of the browser test: its login, role, scope and password.
type pagePerson struct {
	login    string
	role     vocab.Role
	scopes   []string
	password string
	link     string // the one-time set-password path
}

// Issue 15's "done when" in Chromium, with the pages behind the login as serve has them: each
// role that uses the pages (coordinator, centre admin, LSP manager, viewer) sets its password
// through its one-time link and logs in with it on a 390 px and a 1366 px window. The centre
// admin finds a trainee by name, approves five enrolments in one bulk action with the evidence
// on screen, is refused a sixth in the full package with the seat count shown, and downloads
// the case list as Excel CSV (';', BOM, one row per case, WIB times) and XLSX. The coordinator
// sees the Indonesian 404 and expired-session pages (the login offered there returns to the
// page) and no certification Approve button, which the LSP manager has and uses. axe-core runs
// on every page visited and fails the test on any serious or critical violation.
// KOMPETEN_SCREENSHOTS=1 writes the README's two screenshots into docs/.
func TestPasswordLoginPagesInABrowser(t *testing.T) {
	cfg := fastConfig(t)
	cfg.Journey.Month = time.Hour
	sys := startSystemWith(t, cfg, systemOptions{Sessions: true})
	ctx := newBrowser(t)
	base := sys.api.URL
	now := time.Now()

	// A case that will wait on the LSP manager's certification approval.
	certPkg := createPackage(t, sys, api.PackageRequest{Code: "IT-B15-CERT", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS",
		LSP: "LSP-BLK-SBY", Start: now.Add(4 * time.Second).Format(time.RFC3339), End: now.Add(7 * time.Second).Format(time.RFC3339),
		Hours: 240, AutoApprove: true})
	cert := enrol(t, sys, certPkg.Code, validPeople(t, certPkg.StartDate, 1))[0]
	// Six people waiting on the centre admin for a five-seat package.
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-B15", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Capacity: 5, Start: now.Add(24 * time.Hour).Format(time.RFC3339), End: now.Add(72 * time.Hour).Format(time.RFC3339), Hours: 240})
	people := validPeople(t, pkg.StartDate, 6)
	ids := enrol(t, sys, pkg.Code, people)
	for _, id := range ids {
		eventually(t, 20*time.Second, "waiting on the centre admin", func() (bool, string) {
			c, _ := sys.store.GetCase(t.Context(), id)
			return c.WaitingOn == vocab.WaitingCentreAdmin, string(c.WaitingOn)
		})
	}

	sys.caseIn(cert, vocab.StageTraining, 30*time.Second)
	days := 1
	var ur workflows.UpdateResult
	if code := sys.call("POST", "/api/v1/cases/"+cert+"/attendance", workflows.Attendance{Attended: &days}, &ur); code != http.StatusOK {
		t.Fatalf("attendance: HTTP %d", code)
	}

	persons := map[vocab.Role]*pagePerson{
		vocab.RoleCoordinator: {login: "cora.bpvp", role: vocab.RoleCoordinator, password: "kopi-tubruk-pagi-1"},
		vocab.RoleCentreAdmin: {login: "ani.sby", role: vocab.RoleCentreAdmin, scopes: []string{"BLK-SBY"}, password: "gamelan-sore-77"},
		vocab.RoleLSPManager:  {login: "lina.lsp", role: vocab.RoleLSPManager, scopes: []string{"LSP-BLK-SBY"}, password: "batik-parang-42"},
	}
	for _, p := range persons {
		var res api.AccountResponse
		if code := sys.call("POST", "/api/v1/accounts", api.AccountRequest{Username: p.login, Role: p.role, Scopes: p.scopes}, &res); code != http.StatusCreated || res.Link == nil {
			t.Fatalf("create account %s: HTTP %d %+v", p.login, code, res)
		}
		p.link = res.Link.Path
	}

	// The coordinator: sets the password on the phone, creates the viewer's account on the
	// accounts page, and sees the error pages.
	cora := persons[vocab.RoleCoordinator]
	setPassword(t, ctx, base, cora)
	viewer := &pagePerson{login: "vera.pantau", role: vocab.RoleViewer, password: "wayang-kulit-99"}
	run(t, ctx, "open the accounts page", chromedp.Navigate(base+"/accounts"), chromedp.WaitVisible(css("main h1")))
	accessible(t, ctx, "accounts")
	fitsTheScreen(t, ctx, "accounts")
	run(t, ctx, "create the viewer's account",
		chromedp.SetValue(css(`form[action="/accounts"] [name=username]`), viewer.login),
		chromedp.SetValue(css(`form[action="/accounts"] [name=role]`), string(viewer.role)),
		chromedp.Submit(css(`form[action="/accounts"]`)), chromedp.WaitVisible(css("#link")))
	m := regexp.MustCompile(`^https?://[^/]+(/password/[A-Za-z0-9_-]+)$`).FindStringSubmatch(strings.TrimSpace(text(t, ctx, "#link")))
	if m == nil {
		t.Fatalf("the accounts page shows no one-time link: %q", text(t, ctx, "#account-link"))
	}
	viewer.link = m[1]
	accessible(t, ctx, "accounts with a fresh link")
	logOut(t, ctx)

	// The centre admin's day: on the phone the inbox with the evidence; on the laptop the
	// search, the bulk approval, the refused sixth and the downloads.
	ani := persons[vocab.RoleCentreAdmin]
	setPassword(t, ctx, base, ani)
	logOut(t, ctx)
	for _, w := range pageWidths {
		logIn(t, ctx, base, ani, w.width, w.height)
		run(t, ctx, "open the inbox", chromedp.Navigate(base+"/inbox"), chromedp.WaitVisible(css("#inbox-"+ids[5])))
		for i, id := range ids {
			card := text(t, ctx, "#inbox-"+id)
			if !strings.Contains(card, people[i].Name) || !strings.Contains(card, "Semua aturan terpenuhi") {
				t.Errorf("%s inbox card of %s lacks the name %q or the rules' evidence:\n%s", w.name, id, people[i].Name, card)
			}
		}
		accessible(t, ctx, "inbox ("+w.name+")")
		fitsTheScreen(t, ctx, "inbox ("+w.name+")")
		if w.name == "phone" {
			// Issue 15 on a phone: the bulk form is folded until a card is ticked (CSS, no
			// script), so it no longer takes a screen before the first card; a tick opens it.
			folded := `(() => { const f = document.querySelector("#bulk-enrolment-approval fieldset");
  const c = document.querySelector("#inbox-` + ids[0] + `").getBoundingClientRect();
  return {Shown: f.checkVisibility(), Card: c.top + window.scrollY, Screen: window.innerHeight}; })()`
			type fold struct {
				Shown        bool
				Card, Screen float64
			}
			before := read(t, ctx, "the bulk form folded", chromedp.Evaluate[fold](folded))
			if before.Shown {
				t.Error("phone inbox: the bulk form is shown before a card is ticked")
			}
			run(t, ctx, "tick a card", chromedp.Click(css(`#inbox-`+ids[0]+` input.pick`)))
			after := read(t, ctx, "the bulk form open", chromedp.Evaluate[fold](folded))
			if !after.Shown || after.Card-before.Card < before.Screen/3 {
				t.Errorf("phone inbox: ticking a card shows the bulk form = %v; the first card moved from %.0f to %.0f px (the fold should save a third of the %.0f px screen)",
					after.Shown, before.Card, after.Card, before.Screen)
			}
			run(t, ctx, "untick it", chromedp.Click(css(`#inbox-`+ids[0]+` input.pick`)))
			// The README's picture: the folded bulk form and the first cards, name first, with their evidence.
			run(t, ctx, "scroll to the cards", chromedp.ScrollIntoView(css("#bulk-enrolment-approval")))
			screenshot(t, ctx, "inbox-phone")
			for _, p := range []string{"/packages", "/packages/IT-B15", "/packages/IT-B15/register", "/followups", "/stuck"} {
				visit(t, ctx, base, p, w.name)
			}
			logOut(t, ctx)
		}
	}
	// Find a trainee by name in the search form (the name travels in the form, not the URL).
	who := people[2]
	run(t, ctx, "search by name", chromedp.Navigate(base+"/cases"), chromedp.WaitVisible(css("#search")),
		chromedp.SetValue(css(`#search [name=name]`), strings.ToLower(strings.Fields(who.Name)[0])),
		chromedp.Submit(css("#search")), chromedp.WaitVisible(css("#case-"+ids[2])))
	if got := text(t, ctx, "#case-"+ids[2]); !strings.Contains(got, who.Name) {
		t.Errorf("search result lacks %q: %s", who.Name, got)
	}
	if loc := read(t, ctx, "address after the search", chromedp.Location()); strings.Contains(strings.ToLower(loc), strings.ToLower(strings.Fields(who.Name)[0])) {
		t.Errorf("the name is in the address: %s", loc)
	}
	accessible(t, ctx, "cases search")
	// Five in one bulk action.
	run(t, ctx, "open the inbox", chromedp.Navigate(base+"/inbox"), chromedp.WaitVisible(css("#bulk-enrolment-approval")))
	for _, id := range ids[:5] {
		run(t, ctx, "tick "+id, chromedp.Click(css(`#inbox-`+id+` input.pick`)))
	}
	run(t, ctx, "approve the five", chromedp.Click(css("#bulk-enrolment-approval button[type=submit]")), chromedp.WaitVisible(css("#decisions-summary")))
	if got := text(t, ctx, "#decisions-summary"); !regexp.MustCompile(`^5 berhasil\b.* 0 ditolak\b.* 5 kasus\b`).MatchString(got) {
		t.Errorf("bulk summary: %q, want 5 done and 0 refused of 5", got)
	}
	for _, id := range ids[:5] {
		if got := text(t, ctx, "#outcome-"+id); !strings.Contains(got, "Pendaftaran disetujui: kursi") {
			t.Errorf("outcome of %s: %q", id, got)
		}
	}
	for _, id := range ids[:5] {
		eventually(t, 20*time.Second, "approved case past the centre admin", func() (bool, string) {
			c, _ := sys.store.GetCase(t.Context(), id)
			return c.WaitingOn != vocab.WaitingCentreAdmin, string(c.WaitingOn)
		})
	}
	accessible(t, ctx, "bulk decisions")
	// The sixth: refused, the package full, the seat count shown.
	run(t, ctx, "back to the inbox", chromedp.Navigate(base+"/inbox"), chromedp.WaitVisible(css("#inbox-"+ids[5]+" .seats")))
	if got := text(t, ctx, "#inbox-"+ids[5]+" .seats"); !strings.Contains(got, "5/5") {
		t.Errorf("the sixth's seats: %q, want 5/5", got)
	}
	run(t, ctx, "approve the sixth", chromedp.Click(css("#inbox-"+ids[5]+" button.approve")), chromedp.WaitVisible(css("#flash")))
	// Worded from the refusal's code in the page's language (Indonesian): no English sentence.
	if got := text(t, ctx, "#flash"); !strings.Contains(got, "penuh: 5 dari 5 kursi terisi") || strings.Contains(got, "seats taken") {
		t.Errorf("the sixth: %q, want refused with the seat count", got)
	}
	if c, _ := sys.store.GetCase(t.Context(), ids[5]); c.WaitingOn != vocab.WaitingCentreAdmin {
		t.Errorf("the refused sixth moved on: %+v", c)
	}
	accessible(t, ctx, "inbox after the refusal")
	// The case list's downloads, fetched with the browser's session cookie.
	downloads(t, ctx, base, sys)
	logOut(t, ctx)

	// The coordinator again, on both windows: the overview, the pages, the error pages; the
	// certification waits for the LSP manager and shows the coordinator no Approve button.
	sys.caseIn(cert, vocab.StageCertification, 40*time.Second)
	eventually(t, 40*time.Second, "certification waiting on the LSP manager", func() (bool, string) {
		c, _ := sys.store.GetCase(t.Context(), cert)
		return c.WaitingOn == vocab.WaitingLSPManager, string(c.WaitingOn)
	})
	for _, w := range pageWidths {
		logIn(t, ctx, base, cora, w.width, w.height)
		run(t, ctx, "open the overview", chromedp.Navigate(base+"/"), chromedp.WaitVisible(css("#funnel-chart")))
		accessible(t, ctx, "overview ("+w.name+")")
		fitsTheScreen(t, ctx, "overview ("+w.name+")")
		if w.name == "desktop" {
			screenshot(t, ctx, "overview-desktop")
		}
		run(t, ctx, "open the coordinator's inbox", chromedp.Navigate(base+"/inbox"), chromedp.WaitVisible(css("#inbox-"+cert)))
		if n := read(t, ctx, "certification buttons", chromedp.Evaluate[int](`document.querySelectorAll("#group-certification-approval button.approve, #bulk-certification-approval").length`)); n != 0 {
			t.Errorf("the coordinator sees %d certification Approve controls", n)
		}
		if n := read(t, ctx, "enrolment buttons", chromedp.Evaluate[int](`document.querySelectorAll("#inbox-`+ids[5]+` button.approve").length`)); n != 1 {
			t.Errorf("the coordinator, who may decide enrolments, sees %d Approve buttons on the sixth", n)
		}
		accessible(t, ctx, "coordinator's inbox ("+w.name+")")
		for _, p := range []string{"/cases", "/cases/" + cert, "/mous", "/accounts"} {
			visit(t, ctx, base, p, w.name)
		}
		notFoundPage(t, ctx, base)
		// The session ends while the person is away: the Indonesian expired page, whose login
		// returns to the page they asked for.
		sys.sessionClock.pass(cfg.Security.SessionIdle + time.Minute)
		if cfg.Security.SessionIdle == 0 {
			sys.sessionClock.pass(24 * time.Hour)
		}
		run(t, ctx, "come back after the session ended", chromedp.Navigate(base+"/stuck"), chromedp.WaitVisible(css("#problem")))
		if got := text(t, ctx, "#problem h1"); !strings.Contains(got, "Sesi Anda berakhir") {
			t.Errorf("expired-session page: %q", got)
		}
		accessible(t, ctx, "expired-session page ("+w.name+")")
		fitsTheScreen(t, ctx, "expired-session page ("+w.name+")")
		run(t, ctx, "log in from the expired page", chromedp.Click(css(`#problem a[href^="/login"]`)), chromedp.WaitVisible(css(`input[name=password]`)),
			chromedp.SetValue(css(`input[name=login]`), cora.login), chromedp.SetValue(css(`input[name=password]`), cora.password),
			chromedp.Submit(css(`form[action="/login"]`)), chromedp.WaitVisible(css("#identity")))
		if loc := read(t, ctx, "address after the login", chromedp.Location()); !strings.HasSuffix(loc, "/stuck") {
			t.Errorf("the login from the expired page went to %s, want back to /stuck", loc)
		}
		logOut(t, ctx)
	}

	// The viewer reads and acts on nothing.
	setPassword(t, ctx, base, viewer)
	logOut(t, ctx)
	for _, w := range pageWidths {
		logIn(t, ctx, base, viewer, w.width, w.height)
		for _, p := range []string{"/", "/inbox", "/cases", "/stuck"} {
			visit(t, ctx, base, p, w.name)
		}
		run(t, ctx, "viewer's inbox", chromedp.Navigate(base+"/inbox"), chromedp.WaitVisible(css("#inbox-"+cert)))
		if n := read(t, ctx, "viewer's buttons", chromedp.Evaluate[int](`document.querySelectorAll("main button.approve, main form.bulk").length`)); n != 0 {
			t.Errorf("the viewer sees %d approve controls", n)
		}
		logOut(t, ctx)
	}

	// The LSP manager sees the certification with its Approve button and approves it.
	lina := persons[vocab.RoleLSPManager]
	setPassword(t, ctx, base, lina)
	logOut(t, ctx)
	for _, w := range pageWidths {
		logIn(t, ctx, base, lina, w.width, w.height)
		run(t, ctx, "open the LSP manager's inbox", chromedp.Navigate(base+"/inbox"), chromedp.WaitVisible(css("#inbox-"+cert+" button.approve")))
		accessible(t, ctx, "LSP manager's inbox ("+w.name+")")
		fitsTheScreen(t, ctx, "LSP manager's inbox ("+w.name+")")
		if w.name == "desktop" {
			run(t, ctx, "approve the certification", chromedp.Click(css("#inbox-"+cert+" button.approve")), chromedp.WaitVisible(css("#flash")))
			if got := text(t, ctx, "#flash"); !strings.Contains(got, "sertifikasi disetujui") {
				t.Errorf("after approving: %q", got)
			}
		}
		logOut(t, ctx)
	}
}

// visit opens a page, waits for its heading and checks it with axe-core and for the screen.
func visit(t *testing.T, ctx context.Context, base, path, width string) {
	t.Helper()
	run(t, ctx, "open "+path, chromedp.Navigate(base+path), chromedp.WaitVisible(css("main h1")))
	accessible(t, ctx, path+" ("+width+")")
	fitsTheScreen(t, ctx, path+" ("+width+")")
}

// setPassword opens a person's one-time link on a phone, sets the password, and is logged in.
func setPassword(t *testing.T, ctx context.Context, base string, p *pagePerson) {
	t.Helper()
	run(t, ctx, "open "+p.login+"'s one-time link", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(base+p.link), chromedp.WaitVisible(css(`input[name=confirm]`)))
	accessible(t, ctx, "set-password page")
	fitsTheScreen(t, ctx, "set-password page")
	run(t, ctx, "set "+p.login+"'s password",
		chromedp.SetValue(css(`input[name=password]`), p.password), chromedp.SetValue(css(`input[name=confirm]`), p.password),
		chromedp.Submit(css(`form[method=post]`)), chromedp.WaitVisible(css("#identity")))
	if got := text(t, ctx, "#identity"); !strings.Contains(got, p.login) {
		t.Fatalf("after setting the password: identity %q, want %s", got, p.login)
	}
}

// logIn logs a person in with the password on the login page at the window's size.
func logIn(t *testing.T, ctx context.Context, base string, p *pagePerson, width, height int64) {
	t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if width <= 600 {
		opts = append(opts, chromedp.EmulateScale(2))
	}
	run(t, ctx, "open the login", chromedp.EmulateViewport(width, height, opts...), chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css(`input[name=password]`)))
	accessible(t, ctx, "login page")
	fitsTheScreen(t, ctx, "login page")
	run(t, ctx, "log "+p.login+" in",
		chromedp.SetValue(css(`input[name=login]`), p.login), chromedp.SetValue(css(`input[name=password]`), p.password),
		chromedp.Submit(css(`form[action="/login"]`)), chromedp.WaitVisible(css("#identity")))
	if got := text(t, ctx, "#identity"); !strings.Contains(got, p.login) {
		t.Fatalf("logged in as %q, want %s", got, p.login)
	}
}

// logOut presses the header's log-out button and lands on the login.
func logOut(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, "log out", chromedp.Click(css(`form[action="/logout"] button`)), chromedp.WaitVisible(css(`input[name=password]`)))
}

// screenshot writes docs/<name>.png for the README when KOMPETEN_SCREENSHOTS=1 (normal runs
// leave the tree alone): what the window shows, as a PNG.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if os.Getenv("KOMPETEN_SCREENSHOTS") != "1" {
		return
	}
	png := read(t, ctx, "screenshot "+name, chromedp.CaptureScreenshot())
	if err := os.MkdirAll(filepath.Join("..", "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// downloads fetches the case list's CSV and XLSX links of the cases page with the browser's
// session cookie and checks the files: Excel's Indonesian CSV (BOM, ';', one row per case in
// the centre admin's scope, times in WIB) and a workbook with the same rows.
func downloads(t *testing.T, ctx context.Context, base string, sys *system) {
	t.Helper()
	run(t, ctx, "open the cases", chromedp.Navigate(base+"/cases"), chromedp.WaitVisible(css("#search a.csv")))
	links := read(t, ctx, "the download links", chromedp.Evaluate[[]string](`[...document.querySelectorAll("#search a.csv")].map(a => a.getAttribute("href"))`))
	if len(links) != 2 || !strings.HasPrefix(links[0], "/download/") || !strings.Contains(links[1], "format=xlsx") {
		t.Fatalf("download links %v", links)
	}
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	fetch := func(link string) []byte {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), "GET", base+link, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cookies.Cookies {
			req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: HTTP %d %v: %.300s", link, resp.StatusCode, err, b)
		}
		return b
	}
	all, err := sys.store.ListCases(t.Context(), store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	body := fetch(links[0])
	if !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Errorf("the CSV has no BOM: %.80q", body)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not read with ';': %v", err)
	}
	if len(recs) != len(all)+1 || len(recs[0]) < 5 {
		t.Fatalf("the CSV has %d records of %d fields, want a header and %d cases", len(recs), len(recs[0]), len(all))
	}
	wib := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?$`)
	loc := sys.svc.Location()
	times := 0
	for _, rec := range recs[1:] {
		for _, f := range rec {
			if strings.HasSuffix(f, "Z") && regexp.MustCompile(`T\d\d:\d\d`).MatchString(f) {
				t.Errorf("a UTC time in the Excel CSV: %q", f)
			}
			if wib.MatchString(f) {
				at, err := time.ParseInLocation("2006-01-02 15:04:05", f, loc)
				if err == nil && at.Sub(time.Now()).Abs() < time.Hour {
					times++ // written today, in WIB: within the hour of now
				}
			}
		}
	}
	if times == 0 {
		t.Errorf("no time in the CSV reads as WIB within the hour of now:\n%s", body)
	}
	book, err := excelize.OpenReader(bytes.NewReader(fetch(links[1])))
	if err != nil {
		t.Fatalf("the XLSX does not open: %v", err)
	}
	rows, err := book.GetRows(book.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(recs) || rows[0][0] != recs[0][0] {
		t.Errorf("the XLSX has %d rows (header %v), the CSV %d", len(rows), rows[0], len(recs))
	}
}
