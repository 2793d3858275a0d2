package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// wordedAPI serves a case whose events and stuck reason carry message codes (and one older
// event that has only its English detail); every other call goes to the usual fake.
type wordedAPI struct{ fakeAPI }

// at is when the sample events happened: 01:00 UTC, so 08:00 WIB and 10:00 WIT.
var at = time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)

// samples are the coded events of the case, each worded differently in the two languages.
var samples = []store.Event{
	{Kind: "started", Stage: "enrolment", Code: "event.started"},
	{Kind: "enrolment-approved", Stage: "enrolment", Code: "event.enrolment-approved.seat", Params: map[string]string{"taken": "7", "capacity": "16"}, ActorID: "ani", ActorRole: "centre-admin"},
	{Kind: "stage", Stage: "insurance", Code: "event.stage.insurance"},
	{Kind: "stuck", Stage: "insurance", Code: "stuck.partner-failing.bpjs", Params: map[string]string{"sla": "48h0m0s"}},
	{Kind: "insurance-data-error", Stage: "insurance", Code: "event.insurance-data-error", Params: map[string]string{"message": "NIK-MISMATCH"}},
}

// legacy is an event recorded before the journey recorded codes: the page shows its detail.
var legacy = store.Event{Kind: "corrected", Stage: "insurance", Detail: "participant data corrected: KK 2019", At: at}

// stuckWords is the case's stuck reason as the journey records it now.
var stuckWords = map[string]string{"lsp": "LSP-BLK-SBY", "sla": "72h0m0s"}

func (w *wordedAPI) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/api/v1/cases/word000001":
		since := at
		evs := []store.Event{legacy}
		for _, e := range samples {
			e.CaseID, e.At, e.Detail = "word000001", at, "English detail of "+e.Code
			evs = append(evs, e)
		}
		rw.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(rw).Encode(api.CaseView{Case: store.Case{CaseID: "word000001", PackageCode: "P1", CentreCode: "BLK-SBY",
			LSPCode: "LSP-BLK-SBY", Stage: "insurance", Status: "open", WaitingOn: vocab.WaitingBPJS, StageEnteredAt: at,
			Stuck: true, StuckSince: &since, StuckCode: vocab.StuckResultOverdue, StuckReason: "assessment result from LSP-BLK-SBY overdue by more than 3 days",
			StuckMessage: "stuck.result-overdue", StuckParams: stuckWords}, Events: evs})
	case "/api/v1/cases/word000001/workflow":
		rw.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(rw).Encode(starter.WorkflowInfo{WorkflowID: "journey/P1/w", RunID: "r1", Status: "running"})
	default:
		w.fakeAPI.ServeHTTP(rw, r)
	}
}

// The same case page is Indonesian by default, every catalogue sentence in Indonesian and none
// in English; after the switch it is English throughout, and its times follow the chosen zone.
func TestCasePageSpeaksOneLanguage(t *testing.T) {
	f := &wordedAPI{}
	b := newSiteWith(t, f)
	wib, _ := time.LoadLocation("Asia/Jakarta")
	wit, _ := time.LoadLocation("Asia/Jayapura")
	id, en := i18n.For(i18n.ID, wib), i18n.For(i18n.EN, wit)
	sentences := func(r i18n.Reader) []string {
		out := []string{r.T("stuck.result-overdue", stuckWords)}
		for _, e := range samples {
			out = append(out, r.T(e.Code, e.Params))
		}
		return append(out, r.Label("stage", "insurance"), r.Label("role", "centre-admin"), r.Label("kind", "enrolment-approved"))
	}

	_, h, page := b.get("/cases/word000001")
	page = html.UnescapeString(page)
	contains(t, page, `<html lang="id">`, `<option value="id" lang="id" selected>`, "Terlindungi BPJS", "Hasil uji dari LSP-BLK-SBY terlambat lebih dari 3 hari",
		"Menunggu BPJS Ketenagakerjaan lebih dari 2 hari", "Pendaftaran disetujui: kursi 7 dari 16", "2026-11-29 08:00:00 WIB",
		legacy.Detail) // an older event keeps its stored words
	contains(t, page, sentences(id)...)
	lacks(t, page, sentences(en)...)
	lacks(t, page, "English detail of", `class="en"`, "Overview", "Stuck cases", "Timeline", "Log out", "00 WIT<")
	if h.Get("Content-Language") != "id" {
		t.Errorf("Content-Language %q", h.Get("Content-Language"))
	}

	// The switch: a form on the page, no script; it returns to the page.
	code, loc := b.post("/preferences", url.Values{"lang": {"en"}, "zone": {"WIT"}, "back": {"/cases/word000001"}})
	if code != http.StatusSeeOther || loc != "/cases/word000001" {
		t.Fatalf("switch: %d → %s", code, loc)
	}
	_, h, page = b.get("/cases/word000001")
	page = html.UnescapeString(page)
	contains(t, page, `<html lang="en">`, `<option value="en" lang="en" selected>`, `<option value="WIT" selected>`,
		"Assessment result from LSP-BLK-SBY overdue by more than 3 days", "Waiting on BPJS Ketenagakerjaan for more than 2 days",
		"2026-11-29 10:00:00 WIT", "Timeline", legacy.Detail)
	contains(t, page, sentences(en)...)
	lacks(t, page, sentences(id)...)
	lacks(t, page, "English detail of", "Riwayat", "Ringkasan", "Kasus macet", "08:00:00 WIB")
	if h.Get("Content-Language") != "en" {
		t.Errorf("Content-Language %q", h.Get("Content-Language"))
	}

	// Downloads follow the chosen zone too.
	b.get("/download/v1/cases?format=csv")
	if got := f.asked("GET /api/v1/cases?"); len(got) != 1 || got[0] != "GET /api/v1/cases?dialect=excel&format=csv&zone=WIT" {
		t.Errorf("download asked the API %v", got)
	}

	// Back to Indonesian in WITA: the times move again.
	b.post("/preferences", url.Values{"lang": {"id"}, "zone": {"WITA"}, "back": {"/"}})
	_, _, page = b.get("/cases/word000001")
	contains(t, page, `<html lang="id">`, "2026-11-29 09:00:00 WITA", "Riwayat")
	lacks(t, page, "10:00:00 WIT", "Timeline")

	// A switch naming nothing known changes nothing.
	b.post("/preferences", url.Values{"lang": {"fr"}, "zone": {"UTC"}, "back": {"/"}})
	_, _, page = b.get("/cases/word000001")
	contains(t, page, `<html lang="id">`, "2026-11-29 09:00:00 WITA")
}

// Every page of the site is in one language: no English word of the menu on an Indonesian page
// and no Indonesian one on an English page.
func TestEveryPageInOneLanguage(t *testing.T) {
	b := newSiteWith(t, &wordedAPI{})
	paths := []string{"/", "/stuck", "/inbox", "/cases/word000001", "/cases/cert000001", "/mous", "/cases"}
	for _, p := range paths {
		_, _, page := b.get(p)
		lacks(t, page, `class="en"`, `lang="en">Overview`, ">Stuck cases<", ">Inbox<", ">Agreements<", " · Overview", " / Still looking")
	}
	b.post("/preferences", url.Values{"lang": {"en"}, "zone": {"WIB"}, "back": {"/"}})
	for _, p := range paths {
		_, _, page := b.get(p)
		contains(t, page, `<html lang="en">`)
		lacks(t, page, ">Ringkasan<", ">Kasus macet<", ">Kotak masuk<", ">Perjanjian<", "Tidak ditemukan ·")
	}
}

func lacks(t *testing.T, page string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if u != "" && strings.Contains(page, u) {
			t.Errorf("page has %q", u)
		}
	}
}

// newSiteWith is newSite over another API handler.
func newSiteWith(t *testing.T, h http.Handler) *browser {
	t.Helper()
	s, err := web.New(h, web.Options{Location: time.FixedZone("WIB", 7*3600)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}
