package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// editAPI answers a package page's reads, its agreement check and its PATCH like the API: a
// capacity below the two seats taken and an end before the start are refused 422 in the API's
// words; a saved edit reports two running cases told and one not.
type editAPI struct {
	mu       sync.Mutex
	patched  []map[string]any // the PATCH bodies, in order
	previews []api.PackageRequest
}

func (f *editAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	send := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	pkg := store.Package{Code: "P1", CentreCode: "BLK-SBY", Scheme: "SKM-LAS", LSPCode: "LSP-LOGAM", Capacity: 2, Hours: 240,
		AttendanceMin: 0.8, AutoApprove: true,
		StartDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)}
	switch {
	case r.Method == "GET" && r.URL.Path == "/api/v1/packages/P1":
		send(http.StatusOK, api.PackageView{Package: pkg, Seats: store.SeatCount{Capacity: 2, Taken: 2, Waiting: 2}, Waitlist: []string{"w1", "w2"}})
	case r.Method == "GET" && r.URL.Path == "/api/v1/packages/P1/attendance":
		send(http.StatusOK, starter.RegisterOverview{})
	case r.Method == "POST" && r.URL.Path == "/api/v1/cases/search":
		send(http.StatusOK, map[string]any{"cases": []any{}, "total": 0})
	case r.Method == "POST" && r.URL.Path == "/api/v1/packages/preview":
		var req api.PackageRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		f.previews = append(f.previews, req)
		gap := i18n.M("gap.lsp", "partner", req.LSP, "centre", "BLK-SBY", "scheme", "SKM-LAS", "day", req.Start)
		send(http.StatusOK, api.PackagePreview{Warnings: []string{gap.English()}, WarningNotes: []i18n.Message{gap}})
	case r.Method == "PATCH" && r.URL.Path == "/api/v1/packages/P1":
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			send(http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		f.patched = append(f.patched, body)
		if c, ok := body["capacity"].(float64); ok && c < 2 {
			send(http.StatusUnprocessableEntity, map[string]string{"error": "capacity 1 is below the 2 seats taken"})
			return
		}
		if body["end"] == "2026-11-20" {
			send(http.StatusUnprocessableEntity, map[string]string{"error": "end date is before the start date"})
			return
		}
		send(http.StatusOK, starter.PackageEdited{Package: pkg, MovedIn: []string{},
			Changes: []string{"start 2026-12-08 (was 2026-12-01)", "minimum attendance 75% (was 80%)"},
			ChangeNotes: []i18n.Message{i18n.M("change.start", "new", "2026-12-08", "old", "2026-12-01"),
				i18n.M("change.attendance", "new", "75", "old", "80")},
			Cases: []store.PackageEditCase{{CaseID: "a", Outcome: starter.NoticeSent}, {CaseID: "b", Outcome: starter.NoticeSent},
				{CaseID: "c", Outcome: starter.NoticeFailed, Message: "unavailable"}}})
	default:
		send(http.StatusNotFound, map[string]string{"error": "not found"})
	}
}

// Issue 16 point 1 on the page: the edit form is prefilled with the package; a save sends only
// what was changed (an unchanged date never reaches the API); a refusal comes back in the API's
// words with the values typed; a number that is not one never reaches the API; the check asks
// about the typed dates and LSP; a save says what changed and how many running cases took it.
func TestPackageEditForm(t *testing.T) {
	f := &editAPI{}
	s, err := web.New(f, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path string, form url.Values) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(form.Encode()))
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	// form is the edit form as the page fills it, with changes.
	form := func(changes map[string]string) url.Values {
		v := url.Values{"capacity": {"2"}, "start": {"2026-12-01"}, "end": {"2026-12-31"}, "hours": {"240"},
			"attendance_pct": {"80"}, "lsp": {"LSP-LOGAM"}, "auto_approve": {"yes"}}
		for k, x := range changes {
			v.Set(k, x)
		}
		return v
	}

	resp, page := do("GET", "/packages/P1", nil)
	for _, want := range []string{`id="edit-capacity" min="1" step="1" inputmode="numeric" required value="2"`, `id="edit-start" required value="2026-12-01"`,
		`id="edit-end" required value="2026-12-31"`, `id="edit-hours" min="1" step="1" inputmode="numeric" required value="240"`,
		`required value="80"`, `id="edit-lsp" required maxlength="50" autocapitalize="characters" value="LSP-LOGAM"`,
		`id="edit-auto-approve" value="yes" checked`} {
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, want) {
			t.Fatalf("package page: HTTP %d without %s: %s", resp.StatusCode, want, page)
		}
	}
	if resp, page := do("POST", "/packages/P1/edit", form(map[string]string{"capacity": "1"})); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(page, `id="edit-error">capacity 1 is below the 2 seats taken<`) || !strings.Contains(page, `required value="1"`) {
		t.Errorf("refused save: HTTP %d: %s", resp.StatusCode, page)
	}
	if resp, page := do("POST", "/packages/P1/edit", form(map[string]string{"capacity": "2.5"})); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(page, `capacity: give a whole number, got &#34;2.5&#34;`) || !strings.Contains(page, `required value="2.5"`) {
		t.Errorf("not a whole number: HTTP %d: %s", resp.StatusCode, page)
	}
	if resp, page := do("POST", "/packages/P1/edit", form(map[string]string{"end": "2026-11-20"})); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(page, `id="edit-error">end date is before the start date<`) || !strings.Contains(page, `id="edit-end" required value="2026-11-20"`) {
		t.Errorf("end before start: HTTP %d: %s", resp.StatusCode, page)
	}
	if resp, page := do("POST", "/packages/P1/edit/check", form(map[string]string{"start": "2026-12-08", "lsp": "LSP-BARU"})); resp.StatusCode != http.StatusOK ||
		!strings.Contains(page, "belum ada perjanjian aktif dengan LSP-BARU yang mencakup BLK BLK-SBY untuk skema SKM-LAS pada 2026-12-08") {
		t.Errorf("check: HTTP %d: %s", resp.StatusCode, page)
	}
	resp, _ = do("POST", "/packages/P1/edit", form(map[string]string{"start": "2026-12-08", "attendance_pct": "75", "auto_approve": ""}))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/packages/P1" {
		t.Fatalf("save: HTTP %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var flash string
	for _, ck := range resp.Cookies() {
		if ck.Name == "kompeten_flash" {
			flash, _ = url.QueryUnescape(ck.Value)
		}
	}
	for _, want := range []string{"Package P1 saved: start 2026-12-08 (was 2026-12-01); minimum attendance 75% (was 80%)",
		"Paket P1 disimpan: mulai 2026-12-08 (sebelumnya 2026-12-01); kehadiran minimum 75% (sebelumnya 80%)",
		"2 running cases told", "1 not told: resend with `kompeten package update P1` and the same values", "1 tidak menerima: kirim ulang dengan `kompeten package update P1`"} {
		if !strings.Contains(flash, want) {
			t.Errorf("save flash = %q, want %q", flash, want)
		}
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.patched) != 3 {
		t.Fatalf("PATCHed %v, want 3 (the bad number never sent)", f.patched)
	}
	if len(f.patched[0]) != 1 || f.patched[0]["capacity"] != 1.0 {
		t.Errorf("first PATCH = %v, want only the capacity", f.patched[0])
	}
	last := f.patched[2]
	if len(last) != 3 || last["start"] != "2026-12-08" || last["attendance_min"] != 0.75 || last["auto_approve"] != false {
		t.Errorf("last PATCH = %v, want start, attendance_min and auto_approve only", last)
	}
	if len(f.previews) != 1 || f.previews[0].Start != "2026-12-08" || f.previews[0].LSP != "LSP-BARU" || f.previews[0].Scheme != "SKM-LAS" {
		t.Errorf("previews = %+v", f.previews)
	}
}
