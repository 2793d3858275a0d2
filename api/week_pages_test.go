package api_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// weekSite serves the pages over the real API (with its store) and sends each request as id.
type weekSite struct {
	t     *testing.T
	pages http.Handler
}

func (s weekSite) send(id auth.Identity, method, path string, form url.Values) *httptest.ResponseRecorder {
	s.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	rec := httptest.NewRecorder()
	s.pages.ServeHTTP(rec, req.WithContext(api.WithIdentity(req.Context(), id)))
	return rec
}

// Issue 16 points 1 and 3, through the real API: a centre admin creates a package in the form
// (the agreement warnings come back on the package page's flash, the package is in the read
// model), a viewer sees no form and is refused in the API's words, a bad number comes back in
// the form; the day register lists every trainee in training with a tick, saves in one request
// (the read model holds the day), refuses a register leaving a trainee off in the API's words,
// and the package page counts the day as recorded.
func TestWeekPagesThroughTheAPI(t *testing.T) {
	s := newScopedServer(t)
	s.svc.Temporal = unreachableTemporal{}
	site, err := web.New(s.api.Handler(), web.Options{Location: s.svc.Location()})
	if err != nil {
		t.Fatal(err)
	}
	w := weekSite{t: t, pages: site.Handler()}
	ani := auth.Identity{Name: "ani", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}
	vera := auth.Identity{Name: "vera", Role: vocab.RoleViewer}
	now := time.Now().In(s.svc.Location())
	day := func(n int) string { return now.AddDate(0, 0, n).Format(time.DateOnly) }

	// The form: offered to the centre admin, not to the viewer.
	if rec := w.send(ani, "GET", "/packages", nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="create-package"`) {
		t.Fatalf("centre admin's packages page: HTTP %d, create form shown = %v", rec.Code, strings.Contains(rec.Body.String(), `id="create-package"`))
	}
	if rec := w.send(vera, "GET", "/packages", nil); strings.Contains(rec.Body.String(), `id="create-package"`) {
		t.Error("a viewer is offered the create form")
	}
	form := url.Values{"code": {"SBY-LAS-W1"}, "centre": {"BLK-SBY"}, "trade": {"Las"}, "scheme": {"SKM-LAS"}, "lsp": {"LSP-BLK-SBY"},
		"start": {day(-2)}, "end": {day(3)}, "hours": {"40"}, "capacity": {"2"}, "attendance_pct": {"80"}, "auto_approve": {"yes"}}
	rec := w.send(vera, "POST", "/packages", form)
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "Peran Pemantau tidak boleh melakukan tindakan ini (create-package); yang boleh: Admin BLK, Koordinator BPVP") {
		t.Fatalf("viewer's create: HTTP %d, want 403 with the policy's words: %s", rec.Code, rec.Body.String())
	}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("capacity", "lots")
	rec = w.send(ani, "POST", "/packages", bad)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `capacity: give a number, got &#34;lots&#34;`) ||
		!strings.Contains(rec.Body.String(), `value="SBY-LAS-W1"`) {
		t.Fatalf("bad capacity: HTTP %d, want 422 with the form filled in: %s", rec.Code, rec.Body.String())
	}
	rec = w.send(ani, "POST", "/packages", form)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/packages/SBY-LAS-W1" {
		t.Fatalf("create: HTTP %d to %q: %s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
	}
	if f := flashOf(rec); f != "1Paket SBY-LAS-W1 dibuat\x1fPackage SBY-LAS-W1 created" {
		t.Errorf("create flash = %q, want the package created (the seeded agreements cover it)", f)
	}
	// Years ahead no agreement covers it: created, with the API's warnings on the flash.
	later := url.Values{}
	for k, v := range form {
		later[k] = v
	}
	later.Set("code", "SBY-LAS-W2")
	later.Set("start", "2045-01-02")
	later.Set("end", "2045-02-02")
	// Checked before saving: the same warnings, nothing stored; covered dates say so.
	rec = w.send(ani, "POST", "/packages/preview", later)
	if body := rec.Body.String(); rec.Code != http.StatusOK || !strings.Contains(body, `id="agreement-warnings"`) ||
		!strings.Contains(body, "belum ada perjanjian aktif dengan LSP-BLK-SBY yang mencakup BLK BLK-SBY untuk skema SKM-LAS pada 2045-01-02") ||
		!strings.Contains(body, `value="SBY-LAS-W2"`) {
		t.Errorf("preview years ahead: HTTP %d: %s", rec.Code, body)
	}
	if _, err := s.st.GetPackage(t.Context(), "SBY-LAS-W2"); err == nil {
		t.Error("the preview stored the package")
	}
	now2 := url.Values{}
	for k, v := range later {
		now2[k] = v
	}
	now2.Set("start", day(1))
	now2.Set("end", day(5))
	if rec := w.send(ani, "POST", "/packages/preview", now2); !strings.Contains(rec.Body.String(), `id="agreements-cover"`) {
		t.Errorf("preview of covered dates: HTTP %d", rec.Code)
	}
	if rec := w.send(vera, "POST", "/packages/preview", later); rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "Peran Pemantau tidak boleh melakukan tindakan ini (create-package)") {
		t.Errorf("viewer's preview: HTTP %d", rec.Code)
	}
	rec = w.send(ani, "POST", "/packages", later)
	if f := flashOf(rec); rec.Code != http.StatusSeeOther || !strings.HasPrefix(f, "0Paket SBY-LAS-W2 dibuat") ||
		!strings.Contains(f, "belum ada perjanjian aktif dengan LSP-BLK-SBY yang mencakup BLK BLK-SBY untuk skema SKM-LAS pada 2045-01-02: peserta akan menunggunya") ||
		!strings.Contains(f, "no active agreement with LSP-BLK-SBY covers centre BLK-SBY for scheme SKM-LAS on 2045-01-02: trainees will wait") {
		t.Errorf("create years ahead: HTTP %d, flash %q, want the agreement warnings", rec.Code, f)
	}
	p, err := s.st.GetPackage(t.Context(), "SBY-LAS-W1")
	if err != nil {
		t.Fatalf("the package is not in the read model: %v", err)
	}
	if p.CentreCode != "BLK-SBY" || p.Capacity != 2 || p.AttendanceMin != 0.8 || !p.AutoApprove || p.Hours != 40 {
		t.Errorf("stored package = %+v", p)
	}
	// The list's downloads: links on the page (the centre filtered on, no personal data), served
	// under the page's login as Excel's CSV and as a workbook, to a viewer too.
	if body := w.send(ani, "GET", "/packages?centre=BLK-SBY", nil).Body.String(); !strings.Contains(body, `href="/download/v1/packages?centre=BLK-SBY&amp;format=csv"`) ||
		!strings.Contains(body, `href="/download/v1/packages?centre=BLK-SBY&amp;format=xlsx"`) {
		t.Errorf("no CSV and XLSX links for the centre's packages on the page")
	}
	if rec := w.send(vera, "GET", "/download/v1/packages?centre=BLK-SBY&format=csv", nil); rec.Code != http.StatusOK ||
		!strings.HasPrefix(rec.Body.String(), "\uFEFFcode;centre;") || !strings.Contains(rec.Body.String(), "\nSBY-LAS-W1;BLK-SBY;Las;") {
		t.Errorf("packages download: HTTP %d, want Excel's CSV with SBY-LAS-W1: %.300q", rec.Code, rec.Body.String())
	}
	if rec := w.send(ani, "GET", "/download/v1/followups?format=csv", nil); rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), "\uFEFFcase_id;name;phone;") {
		t.Errorf("follow-ups download under the page's login: HTTP %d %.200q", rec.Code, rec.Body.String())
	}
	if rec := w.send(vera, "GET", "/download/v1/packages?format=xlsx", nil); rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Type"), "spreadsheetml") {
		t.Errorf("packages workbook: HTTP %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if rec := w.send(ani, "POST", "/packages", form); rec.Code != http.StatusConflict && rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("the same code again: HTTP %d, want a refusal: %s", rec.Code, rec.Body.String())
	} else if !strings.Contains(rec.Body.String(), `id="create-error"`) {
		t.Errorf("the refusal is not shown on the form: %s", rec.Body.String())
	}

	// Two trainees in training in it.
	a := opsCase("wkaaaaaaaa", "BLK-SBY", "LSP-BLK-SBY", vocab.StageTraining, "")
	b := opsCase("wkbbbbbbbb", "BLK-SBY", "LSP-BLK-SBY", vocab.StageTraining, "")
	a.PackageCode, b.PackageCode = p.Code, p.Code
	if err := s.st.UpsertCase(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	if err := s.st.UpsertCase(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	page := w.send(ani, "GET", "/packages/SBY-LAS-W1/register?date="+day(-1), nil).Body.String()
	for _, want := range []string{`id="tick-wkaaaaaaaa" name="tick" value="wkaaaaaaaa" checked`, `id="tick-wkbbbbbbbb" name="tick" value="wkbbbbbbbb" checked`,
		`name="mode" value="presence"`, `id="save-register"`} {
		if !strings.Contains(page, want) {
			t.Errorf("register page lacks %q", want)
		}
	}
	back := "/packages/SBY-LAS-W1/register?date=" + day(-1)
	// One left off: the API's refusal, in its words, on the register page.
	rec = w.send(ani, "POST", "/packages/SBY-LAS-W1/register", url.Values{"date": {day(-1)}, "mode": {"presence"}, "back": {back},
		"case": {"wkaaaaaaaa"}, "tick": {"wkaaaaaaaa"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != back || !strings.Contains(flashOf(rec), "belum tercantum: wkbbbbbbbb") {
		t.Fatalf("register leaving one off: HTTP %d to %q, flash %q", rec.Code, rec.Header().Get("Location"), flashOf(rec))
	}
	// A viewer may not record it.
	rec = w.send(vera, "POST", "/packages/SBY-LAS-W1/register", url.Values{"date": {day(-1)}, "mode": {"presence"}, "back": {back},
		"case": {"wkaaaaaaaa", "wkbbbbbbbb"}})
	if f := flashOf(rec); !strings.Contains(f, "Peran Pemantau tidak boleh melakukan tindakan ini (record-register)") {
		t.Errorf("viewer's register: flash %q", f)
	}
	// The whole register, one ticked present and one not, in one request.
	rec = w.send(ani, "POST", "/packages/SBY-LAS-W1/register", url.Values{"date": {day(-1)}, "mode": {"presence"}, "back": {back},
		"case": {"wkaaaaaaaa", "wkbbbbbbbb"}, "tick": {"wkaaaaaaaa"}})
	if rec.Code != http.StatusSeeOther || !strings.Contains(flashOf(rec), "1 present, 1 absent") {
		t.Fatalf("register: HTTP %d, flash %q", rec.Code, flashOf(rec))
	}
	y := now.AddDate(0, 0, -1)
	d, err := s.st.AttendanceDayOf(t.Context(), p.Code, time.Date(y.Year(), y.Month(), y.Day(), 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	marks := map[string]bool{}
	for _, m := range d.Marks {
		marks[m.CaseID] = m.Present
	}
	if len(marks) != 2 || !marks["wkaaaaaaaa"] || marks["wkbbbbbbbb"] || d.RecordedBy != "ani" {
		t.Errorf("stored register = %+v", d)
	}
	pkgPage := w.send(ani, "GET", "/packages/SBY-LAS-W1", nil).Body.String()
	for _, want := range []string{`id="days-recorded">1<`, `id="seats">0 / 2<`, `id="trainee-wkaaaaaaaa"`,
		`href="/packages/SBY-LAS-W1/register?date=` + day(-2) + `"`} {
		if !strings.Contains(pkgPage, want) {
			t.Errorf("package page lacks %q", want)
		}
	}
}
