package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// registerAPI answers what the register page reads, in absence mode, and keeps the register
// it is sent.
type registerAPI struct {
	got  *api.AttendanceRegisterRequest
	path string
}

func (f *registerAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	send := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	switch {
	case r.Method == "GET" && r.URL.Path == "/api/v1/packages/P1/attendance/2026-11-27":
		send(starter.RegisterDayView{Date: "2026-11-27", InTraining: []string{"case00000b", "case00000a"}})
	case r.Method == "GET" && r.URL.Path == "/api/v1/packages/P1/attendance":
		send(starter.RegisterOverview{Package: "P1", Mode: "absence"})
	case r.Method == "POST" && r.URL.Path == "/api/v1/cases/search":
		send(api.CasePage{Total: 2, Cases: []store.Case{
			{CaseID: "case00000b", PackageCode: "P1", Person: &store.Person{Name: "Budi Santoso"}},
			{CaseID: "case00000a", PackageCode: "P1", Person: &store.Person{Name: "Ani Lestari"}},
		}})
	case r.Method == "PUT":
		f.path = r.URL.Path
		f.got = &api.AttendanceRegisterRequest{}
		_ = json.NewDecoder(r.Body).Decode(f.got)
		send(starter.RegisterResult{Package: "P1", Date: "2026-11-27", Mode: "absence", Present: len(f.got.Present), Absent: len(f.got.Absent),
			Cases: []starter.RegisterCase{{CaseID: "case00000a", Outcome: starter.RegisterSent}, {CaseID: "case00000b", Outcome: starter.RegisterRefused, Message: "case is closed"},
				{CaseID: "case00000c", Outcome: starter.RegisterRefused, Message: "cannot record attendance: case case00000c is in stage placement (needs training)",
					Code: "refusal.stage", Params: map[string]string{"action": "record-attendance", "case": "case00000c", "stage": "placement", "needs": "training"}}}})
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":"not found"}`)
	}
}

// The register in absence mode lists every trainee in training by name (sorted), nobody ticked
// on a day not recorded yet; the form carries case IDs only (names never reach a URL or a
// request line); ticked means absent; a case the journey refused comes back in its words; and
// a post from another site is refused.
func TestRegisterPageAbsenceMode(t *testing.T) {
	f := &registerAPI{}
	s, err := web.New(f, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(srv.URL + "/packages/P1/register?date=2026-11-27")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d: %s", resp.StatusCode, page)
	}
	ani, budi := strings.Index(page, "Ani Lestari"), strings.Index(page, "Budi Santoso")
	if ani < 0 || budi < 0 || ani > budi {
		t.Errorf("names sorted: Ani at %d, Budi at %d", ani, budi)
	}
	for _, want := range []string{`name="tick" value="case00000a" >`, `name="tick" value="case00000b" >`, "Centang yang TIDAK hadir", `name="mode" value="absence"`} {
		if !strings.Contains(page, want) {
			t.Errorf("register page lacks %q", want)
		}
	}
	if strings.Contains(page, "checked") {
		t.Error("absence mode: a tick is set on a day not recorded")
	}
	form := url.Values{"date": {"2026-11-27"}, "mode": {"absence"}, "case": {"case00000a", "case00000b"}, "tick": {"case00000b"},
		"back": {"/packages/P1/register?date=2026-11-27"}}
	req, _ := http.NewRequest("POST", srv.URL+"/packages/P1/register", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err := c.Do(req); err != nil || resp.StatusCode != http.StatusForbidden || f.got != nil {
		t.Fatalf("cross-site post: %v %v, sent = %v; want 403 and nothing sent", err, resp, f.got)
	}
	req, _ = http.NewRequest("POST", srv.URL+"/packages/P1/register", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "kompeten_actor", Value: "siti"}) // no login: the name this browser acts under
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/packages/P1" {
		t.Fatalf("save: HTTP %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if f.path != "/api/v1/packages/P1/attendance/2026-11-27" || f.got == nil || strings.Join(f.got.Present, ",") != "case00000a" ||
		strings.Join(f.got.Absent, ",") != "case00000b" || f.got.Actor.ID != "siti" || f.got.Actor.Role != "centre-admin" {
		t.Errorf("sent %s %+v", f.path, f.got)
	}
	var flash string
	for _, ck := range resp.Cookies() {
		if ck.Name == "kompeten_flash" {
			flash, _ = url.QueryUnescape(ck.Value)
		}
	}
	if !strings.HasPrefix(flash, "0") || !strings.Contains(flash, "1 present, 1 absent") || !strings.Contains(flash, "case00000b refused: case is closed") {
		t.Errorf("flash = %q", flash)
	}
	// A refusal with a code reads in each language, the Indonesian with no English in it.
	id, en, _ := strings.Cut(flash[1:], "\x1f")
	if !strings.Contains(id, "case00000c ditolak: tidak dapat mencatat kehadiran: kasus case00000c ada di tahap Penempatan (perlu tahap Pelatihan)") ||
		strings.Contains(id, "cannot record") || !strings.Contains(en, "case00000c refused: cannot record attendance: case case00000c is in stage Placement (needs Training)") {
		t.Errorf("coded refusal in the flash: %q", flash)
	}
}
