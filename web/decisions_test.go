package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// bulkAPI answers the inbox with one enrolment whose check found a rule not met and one that
// passed, and a bulk decision with a mixed outcome; everything else goes to fakeAPI.
type bulkAPI struct {
	fakeAPI
	mu   sync.Mutex
	sent []api.DecisionsRequest
}

func (f *bulkAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	send := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	switch r.URL.Path {
	case "/api/v1/inbox":
		send(api.Inbox{Groups: []api.InboxGroup{{Kind: "enrolment-approval", Role: "centre-admin", Action: "enrolment",
			Label: "Enrolment approvals", LabelID: "Persetujuan pendaftaran", Total: 280, Cases: []api.InboxItem{
				{CaseID: "rule000001", Centre: "BLK-SBY", LSP: "LSP-BLK-SBY", Package: "P1", Stage: "enrolment", Since: since,
					Evidence: &api.Evidence{Kind: "enrolment-checked", RulesNotMet: []string{"age 15 is below the minimum of 18"},
						Warnings: []string{"NIK birth date differs from the stated birth date"}}},
				{CaseID: "okay000001", Centre: "BLK-SBY", LSP: "LSP-BLK-SBY", Package: "P1", Stage: "enrolment", Since: since,
					Evidence: &api.Evidence{Kind: "enrolment-checked"}},
			}}, {Kind: "certification-approval", Role: "lsp-manager", Action: "certification", Label: "Certification approvals",
			LabelID: "Persetujuan sertifikasi", Total: 1, Cases: []api.InboxItem{{CaseID: "cert000001", Centre: "BLK-SBY", LSP: "LSP-BLK-SBY",
				Package: "P1", Stage: "certification", Since: since, Evidence: &api.Evidence{Kind: "assessment-result", Detail: "assessment result recorded: 1 K, 1 BK (assessor asr-7)",
					Assessor: "asr-7", Units: []store.UnitResult{{Unit: "LAS.01", Result: "K"}, {Unit: "LAS.02", Result: "BK"}}, By: "lsp-api", At: since}}}}}})
	case "/api/v1/cases/rule000001":
		send(api.CaseView{Case: store.Case{CaseID: "rule000001", PackageCode: "P1", CentreCode: "BLK-SBY", LSPCode: "LSP-BLK-SBY",
			Stage: "enrolment", Status: store.StatusOpen, WaitingOn: "centre-admin", StageEnteredAt: since},
			Events: []store.Event{{Kind: "enrolment-checked", Stage: "enrolment", At: since,
				Detail: "waiting for a centre admin to approve; rules not met: age 15 is below the minimum of 18"}}})
	case "/api/v1/cases/rule000001/workflow":
		send(starter.WorkflowInfo{WorkflowID: "journey/P1/z", RunID: "r3", Status: "running"})
	case "/api/v1/decisions":
		var req api.DecisionsRequest
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.sent = append(f.sent, req)
		f.mu.Unlock()
		send(api.DecisionsResponse{Kind: req.Kind, Action: req.Action, Total: 2, Done: 1, Refused: 1, Outcomes: []api.DecisionOutcome{
			{CaseID: "okay000001", OK: true, Status: 200, Message: "enrolment approved: seat 16 of 16"},
			{CaseID: "full000001", Status: 409, Message: "package P1 is full: 16 of 16 seats taken"},
		}})
	default:
		f.fakeAPI.ServeHTTP(w, r)
	}
}

// newBulkSite serves the pages over a bulkAPI, with a name to act under already given.
func newBulkSite(t *testing.T) (*bulkAPI, *browser) {
	t.Helper()
	f := &bulkAPI{}
	s, err := web.New(f, web.Options{Location: time.FixedZone("WIB", 7*3600)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, base: srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
	if code, _ := b.post("/actor", url.Values{"name": {"siti"}, "back": {"/inbox"}}); code != http.StatusSeeOther {
		t.Fatalf("set name: %d", code)
	}
	return f, b
}

// postPage submits a form and returns the status and the page it answers with.
func (b *browser) postPage(path string, form url.Values) (int, string) {
	b.t.Helper()
	resp, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// The inbox offers a checkbox per case and "select all N matching" for a group, asks for a
// confirmation and a reason before approving over failed rules, and a bulk decision shows
// each case's outcome, the refusal in the API's words.
func TestBulkDecisionsFromTheInbox(t *testing.T) {
	f, b := newBulkSite(t)
	_, _, page := b.get("/inbox?centre=BLK-SBY")
	contains(t, page, `<form method="post" action="/inbox/decide" class="bulk" id="bulk-enrolment-approval">`,
		`name="case" value="rule000001" form="bulk-enrolment-approval"`, `name="case" value="okay000001" form="bulk-enrolment-approval"`,
		`pilih semua 280 yang cocok dengan saringan`, `<input type="hidden" name="centre" value="BLK-SBY">`,
		`<input type="checkbox" name="override" value="yes" required>`, "Saya setujui meski aturan di atas belum terpenuhi")
	// The evidence: the import's warnings beside the enrolment, K/BK per unit beside the certification.
	contains(t, page, "Peringatan impor", "<li>NIK birth date differs from the stated birth date</li>", `<table class="units">`,
		`asesor asr-7`, `<tr class="k"><td>LAS.01</td><td>K</td></tr>`,
		`<tr class="bk"><td>LAS.02</td><td>BK</td></tr>`, `id="bulk-certification-approval"`)
	// The confirmation is asked only of the case whose rules failed.
	card := page[strings.Index(page, `id="inbox-okay000001"`):]
	if strings.Contains(card, `name="override" value="yes" required`) {
		t.Error("the passing case asks for an override confirmation")
	}

	// Approving the failed case without the confirmation is refused before the API is asked.
	code, loc := b.post("/cases/rule000001/decide", url.Values{"kind": {"enrolment"}, "approve": {"yes"}, "rules": {"failed"},
		"reason": {"sponsored"}, "back": {"/inbox"}})
	if code != http.StatusSeeOther || loc != "/inbox" || len(f.asked("POST /api/v1/cases")) != 0 {
		t.Fatalf("unconfirmed override: %d %s, API asked %v", code, loc, f.asked("POST"))
	}
	_, _, page = b.get("/inbox")
	contains(t, page, `class="flash bad"`, "aturan belum terpenuhi; centang konfirmasi dan isi alasan")

	// The case page asks the same before approving over the failed rule.
	_, _, page = b.get("/cases/rule000001")
	contains(t, page, `<li>age 15 is below the minimum of 18</li>`, `<input type="hidden" name="rules" value="failed">`,
		`<input type="checkbox" name="override" value="yes" required>`)

	// Ticked cases: one request with their IDs; the page shows each outcome.
	code, page = b.postPage("/inbox/decide", url.Values{"kind": {"enrolment"}, "action": {"approve"}, "case": {"okay000001", "full000001"},
		"back": {"/inbox?centre=BLK-SBY"}})
	if code != http.StatusOK {
		t.Fatalf("bulk approve: %d %s", code, page)
	}
	contains(t, page, `id="decisions-summary"><b>1</b> berhasil · <b>1</b>`, `id="outcome-full000001"`,
		// A refusal without a code (an API of an older release) in its words; an answer in the reader's.
		"package P1 is full: 16 of 16 seats taken", "Pendaftaran disetujui: kursi 16 dari 16", `href="/inbox?centre=BLK-SBY"`)
	// "Select all" sends the page's filter instead of IDs, with the override and its reason.
	b.postPage("/inbox/decide", url.Values{"kind": {"enrolment"}, "action": {"approve"}, "all": {"yes"}, "centre": {"BLK-SBY"},
		"override": {"yes"}, "reason": {"sponsored by the regency"}, "case": {"okay000001"}})
	if len(f.sent) != 2 {
		t.Fatalf("sent %d bulk requests, want 2", len(f.sent))
	}
	first, all := f.sent[0], f.sent[1]
	if len(first.CaseIDs) != 2 || first.Filter != nil || first.Actor.ID != "siti" {
		t.Errorf("ticked: sent %+v", first)
	}
	if all.Filter == nil || all.Filter.Centre != "BLK-SBY" || all.CaseIDs != nil || !all.OverrideRules || all.Reason != "sponsored by the regency" {
		t.Errorf("select all: sent %+v", all)
	}
	// Nothing ticked: a hint, not an empty request.
	if code, _ := b.post("/inbox/decide", url.Values{"kind": {"enrolment"}, "action": {"approve"}, "back": {"/inbox"}}); code != http.StatusSeeOther || len(f.sent) != 2 {
		t.Errorf("nothing ticked: %d, %d requests", code, len(f.sent))
	}
}
