package web_test

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Issue 15 ("one language at a time, fully") for the words producers give the pages as catalogue
// messages: each page or flash is rendered in Indonesian and in English, and must hold the
// catalogue's text of its language and not the other language's.

// wordsAPI answers like the API with the messages the producers now carry: a package's agreement
// gaps and changes, an escalation's unblocker, an agreement's attention note and flags.
type wordsAPI struct{}

// The messages the fake answers with, as the producers make them.
var (
	gapNote    = i18n.M("gap.lsp", "partner", "LSP-BARU", "centre", "BLK-SBY", "scheme", "SKM-LAS", "day", "2026-12-08")
	changeNote = []i18n.Message{i18n.M("change.start", "new", "2026-12-08", "old", "2026-12-01"),
		i18n.M("change.auto-approve", "new", "false", "old", "true")}
	endingNote = i18n.M("mou.ending", "days", "21", "cases", "2")
	mouFlag    = "shortened to 2027-06-30 with its MoU MOU/BPJS/2023 (renewal pending)"
)

func (wordsAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	send := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	pkg := store.Package{Code: "P1", CentreCode: "BLK-SBY", Scheme: "SKM-LAS", LSPCode: "LSP-LOGAM", Capacity: 2, Hours: 240,
		AttendanceMin: 0.8, AutoApprove: true,
		StartDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)}
	gaps := []i18n.Message{gapNote}
	switch {
	case r.Method == "GET" && r.URL.Path == "/api/v1/packages/P1":
		send(http.StatusOK, api.PackageView{Package: pkg, Seats: store.SeatCount{Capacity: 2}})
	case r.Method == "GET" && r.URL.Path == "/api/v1/packages/P1/attendance":
		send(http.StatusOK, starter.RegisterOverview{})
	case r.Method == "GET" && r.URL.Path == "/api/v1/packages":
		send(http.StatusOK, []store.Package{pkg})
	case r.Method == "GET" && (r.URL.Path == "/api/v1/schemes" || r.URL.Path == "/api/v1/partners" || r.URL.Path == "/api/v1/centres"):
		send(http.StatusOK, []any{})
	case r.Method == "POST" && r.URL.Path == "/api/v1/cases/search":
		send(http.StatusOK, map[string]any{"cases": []any{}, "total": 0})
	case r.Method == "POST" && r.URL.Path == "/api/v1/packages/preview":
		send(http.StatusOK, api.PackagePreview{Warnings: i18n.EnglishAll(gaps), WarningNotes: gaps})
	case r.Method == "POST" && r.URL.Path == "/api/v1/packages":
		send(http.StatusCreated, api.PackageCreated{Package: pkg, Warnings: i18n.EnglishAll(gaps), WarningNotes: gaps})
	case r.Method == "PATCH" && r.URL.Path == "/api/v1/packages/P1":
		send(http.StatusOK, starter.PackageEdited{Package: pkg, MovedIn: []string{"w1"},
			Changes: i18n.EnglishAll(changeNote), ChangeNotes: changeNote, Warnings: i18n.EnglishAll(gaps), WarningNotes: gaps,
			Cases: []store.PackageEditCase{{CaseID: "a", Outcome: starter.NoticeSent}, {CaseID: "c", Outcome: starter.NoticeFailed}}})
	case r.Method == "POST" && r.URL.Path == "/api/v1/cases/bpjs000001/escalate":
		to := workflows.WhoUnblocks(vocab.StuckPartnerFailing, vocab.WaitingBPJS, "BLK-SBY", "")
		send(http.StatusOK, api.EscalateResponse{CaseID: "bpjs000001", To: to, Message: "escalated to insurer-liaison: " + to.Action})
	case r.Method == "GET" && r.URL.Path == "/api/v1/mous":
		n := 21
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
		send(http.StatusOK, []starter.AgreementView{{Agreement: store.Agreement{ID: 1, Number: "PKS/BLK-SBY/1", Kind: "pks",
			Parent: "MOU/BPJS/2023", PartnerCode: "BPJSTK-JATIM", Status: agreement.Expiring, ValidFrom: day(2024, 1, 1),
			ValidUntil: day(2026, 12, 18), Flags: []string{mouFlag}, EndReason: "its MoU MOU/BPJS/2023 no longer covers its centres"},
			LastDay: day(2026, 12, 18), DaysToExpiry: &n, DependentCases: 2, Highlight: true,
			Attention: []string{mouFlag, endingNote.English()}, AttentionNotes: []i18n.Message{endingNote}}})
	case r.Method == "GET" && r.URL.Path == "/api/v1/mous/PKS/BLK-SBY/1":
		send(http.StatusOK, starter.AgreementDetail{Cases: []store.AgreementCase{{CaseID: "case000001", CentreCode: "BLK-SBY",
			PackageCode: "P1", Stage: "insurance", Stuck: true, StuckCode: vocab.StuckNoAgreement, StuckReason: "no active MoU with BPJSTK-JATIM"}}})
	default:
		send(http.StatusNotFound, map[string]string{"error": "not found: " + r.URL.Path})
	}
}

// wordsSite is a site over wordsAPI whose browser reads lang ("id" or "en").
func wordsSite(t *testing.T, h http.Handler, lang string) *browser {
	t.Helper()
	b := newSiteWith(t, h)
	b.post("/preferences", url.Values{"lang": {lang}, "zone": {"WIB"}, "back": {"/"}})
	b.post("/actor", url.Values{"name": {"rina"}, "back": {"/"}})
	return b
}

// inBoth words a message in Indonesian and in English.
func inBoth(code string, params map[string]string) (id, en string) {
	return i18n.For(i18n.ID, nil).T(code, params), i18n.For(i18n.EN, nil).T(code, params)
}

// speaks asserts the page's text holds the message in lang's words and not in the other
// language's.
func speaks(t *testing.T, page, lang string, ms ...i18n.Message) {
	t.Helper()
	page = html.UnescapeString(page)
	for _, m := range ms {
		id, en := inBoth(m.Code, m.Params)
		if id == en {
			t.Fatalf("%s reads the same in both languages: the test cannot tell them apart", m.Code)
		}
		want, not := id, en
		if lang == "en" {
			want, not = en, id
		}
		if !strings.Contains(page, want) {
			t.Errorf("%s page lacks %s: %q", lang, m.Code, want)
		}
		if strings.Contains(page, not) {
			t.Errorf("%s page has %s in the other language: %q", lang, m.Code, not)
		}
	}
}

// a. The agreement gaps of a package: on the create form's check, in the flash after the create,
// and on the package page's edit check.
func TestPackageGapsInOneLanguage(t *testing.T) {
	form := url.Values{"code": {"P1"}, "centre": {"BLK-SBY"}, "trade": {"Las"}, "scheme": {"SKM-LAS"}, "lsp": {"LSP-BARU"},
		"start": {"2026-12-08"}, "end": {"2026-12-31"}}
	for _, lang := range []string{"id", "en"} {
		b := wordsSite(t, wordsAPI{}, lang)
		resp, err := b.c.PostForm(b.base+"/packages/preview", form)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		speaks(t, string(body), lang, gapNote)

		if code, loc := b.post("/packages", form); code != http.StatusSeeOther || loc != "/packages/P1" {
			t.Fatalf("create: HTTP %d to %q", code, loc)
		}
		_, _, page := b.get("/packages/P1")
		speaks(t, page, lang, i18n.M("package.created", "code", "P1"), gapNote)

		resp, err = b.c.PostForm(b.base+"/packages/P1/edit/check", url.Values{"capacity": {"2"}, "start": {"2026-12-08"},
			"end": {"2026-12-31"}, "hours": {"240"}, "attendance_pct": {"80"}, "lsp": {"LSP-BARU"}, "auto_approve": {"yes"}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), `id="edit-agreement-warnings"`) {
			t.Fatalf("%s: the edit check shows no warnings: %s", lang, body)
		}
		speaks(t, string(body), lang, gapNote)
	}
}

// c. The flash after an edit lists the changes, the cases told and not told, and the gaps, all
// in the reader's language (automatic approval's yes/no too).
func TestPackageEditFlashInOneLanguage(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		b := wordsSite(t, wordsAPI{}, lang)
		code, loc := b.post("/packages/P1/edit", url.Values{"capacity": {"2"}, "start": {"2026-12-08"}, "end": {"2026-12-31"},
			"hours": {"240"}, "attendance_pct": {"80"}, "lsp": {"LSP-LOGAM"}})
		if code != http.StatusSeeOther || loc != "/packages/P1" {
			t.Fatalf("save: HTTP %d to %q", code, loc)
		}
		_, _, page := b.get("/packages/P1")
		speaks(t, page, lang, append([]i18n.Message{i18n.M("package.saved.moved-in", "n", "1"),
			i18n.M("package.saved.told", "n", "1"), i18n.M("package.saved.not-told", "n", "1", "code", "P1"), gapNote}, changeNote...)...)
		id, en := inBoth("package.saved", map[string]string{"code": "P1", "changes": ""})
		if lang == "en" {
			id, en = en, id
		}
		contains(t, html.UnescapeString(page), id)
		lacks(t, html.UnescapeString(page), en)
	}
}

// d. The agreements page words the note on an agreement ending soon, the flags its workflow
// recorded (a PKS shortened with its MoU) and why it ended, in the reader's language.
func TestAgreementsPageInOneLanguage(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		b := wordsSite(t, wordsAPI{}, lang)
		_, _, page := b.get("/mous")
		speaks(t, page, lang, endingNote,
			i18n.M("mou.shortened", "until", "2027-06-30", "mou", "MOU/BPJS/2023", "reason", "renewal pending"),
			i18n.M("mou.no-longer-covers", "mou", "MOU/BPJS/2023", "what", "centres"),
			i18n.M("reason.no-agreement"))
		lacks(t, page, "no active MoU with BPJSTK-JATIM")
	}
}

// e. The answer to an escalation names the role and what they do in the reader's language.
func TestEscalationNoticeInOneLanguage(t *testing.T) {
	to := workflows.WhoUnblocks(vocab.StuckPartnerFailing, vocab.WaitingBPJS, "BLK-SBY", "")
	for _, lang := range []string{"id", "en"} {
		b := wordsSite(t, wordsAPI{}, lang)
		if code, _ := b.post("/cases/bpjs000001/escalate", url.Values{"back": {"/mous"}, "note": {"hari ketiga"}}); code != http.StatusSeeOther {
			t.Fatalf("escalate: HTTP %d", code)
		}
		_, _, page := b.get("/mous")
		rd := i18n.For(i18n.Lang(lang), nil)
		speaks(t, page, lang, i18n.M("escalation.done", "case", "bpjs000001", "role", string(to.Role), "action", rd.T(to.Code, nil),
			"note", "hari ketiga"))
		if lang == "id" {
			lacks(t, html.UnescapeString(page), to.Action, "escalated to")
		}
	}
}

// b. The cohort preview and the start's outcome page (the background job's) word each row's
// outcome and why a row is rejected (the NIK's, the birth date's and the age rule's reasons) in
// the reader's language.
func TestCohortPreviewInOneLanguage(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		f := &enrolAPI{seen: map[string]string{}}
		s, err := web.New(f, web.Options{MinAge: 17})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(s.Handler())
		t.Cleanup(srv.Close)
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		do := func(method, path, ctype string, body io.Reader) (int, string) {
			t.Helper()
			req, _ := http.NewRequest(method, srv.URL+path, body)
			if ctype != "" {
				req.Header.Set("Content-Type", ctype)
			}
			req.AddCookie(&http.Cookie{Name: "kompeten_actor", Value: "siti"})
			req.AddCookie(&http.Cookie{Name: "kompeten_lang", Value: lang})
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "peserta.csv")
		_, _ = io.WriteString(fw, cohortCSV+"3523080209159594;Budi Kecil;L;Surabaya;02-09-2015;08221948757;b@mail.example;SD;Jl. E\r\n")
		_ = mw.Close()
		code, page := do("POST", "/packages/P1/cohort", mw.FormDataContentType(), &buf)
		if code != http.StatusOK {
			t.Fatalf("%s preview: HTTP %d: %s", lang, code, page)
		}
		reasons := []i18n.Message{i18n.M("nik.sci-notation"), i18n.M("row.birth-date-unreal", "date", `"31-02-2001"`),
			i18n.M("row.underage", "age", "11", "start", "01-12-2026", "min", "17"), i18n.M("cohort.title", "package", "P1")}
		speaks(t, page, lang, reasons...)
		outcomes := func(page string, words ...string) {
			t.Helper()
			id, en := words[0], words[1]
			if lang == "en" {
				id, en = en, id
			}
			contains(t, page, ">"+id+"<")
			lacks(t, page, ">"+en+"<")
		}
		outcomes(page, "ditolak", "rejected")
		if lang == "id" {
			lacks(t, page, "sci_notation:", "Cohort upload")
		}
		m := regexp.MustCompile(`action="(/packages/P1/cohort/[0-9a-f]{32}/start)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%s: no start form", lang)
		}
		page = startAndWait(t, do, m[1])
		speaks(t, page, lang, reasons...)
		outcomes(page, "dimulai", "started")
		outcomes(page, "ditolak", "rejected")
	}
}
