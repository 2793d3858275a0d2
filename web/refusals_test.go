package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// codedBulkAPI answers a bulk decision as the API does since refusals carry their codes: each
// refusal with its English message (as always), its code and parameters.
type codedBulkAPI struct {
	bulkAPI
}

// codedOutcomes are the outcomes codedBulkAPI answers: one approved, and a full package, a
// wrong stage, a closed case, rules not met and a case out of scope refused.
var codedOutcomes = []api.DecisionOutcome{
	{CaseID: "okay000001", OK: true, Status: 200, Message: "enrolment approved: seat 15 of 16"},
	{CaseID: "full000001", Status: 409, Message: "package P1 is full: 16 of 16 seats taken",
		Code: "refusal.package-full", Params: map[string]string{"package": "P1", "taken": "16", "capacity": "16"}},
	{CaseID: "late000001", Status: 422, Message: "cannot decide enrolment: case late000001 is in stage training (needs enrolment)",
		Code: "refusal.stage", Params: map[string]string{"action": "decide-enrolment", "case": "late000001", "stage": "training", "needs": "enrolment"}},
	{CaseID: "shut000001", Status: 409, Message: "case shut000001 is closed (withdrawn): nothing to approve",
		Code: "refusal.closed", Params: map[string]string{"case": "shut000001", "outcome": "withdrawn", "nothing": "approve"}},
	{CaseID: "rule000001", Status: 422, Message: "rules not met (age 15 at the start date is below the minimum 18): not approved; to approve anyway, confirm the override (override_rules) with a reason",
		Code: "refusal.rules-not-met", Params: map[string]string{"rules": "age 15 at the start date is below the minimum 18"}},
	{CaseID: "gone000001", Status: 404, Message: "case gone000001 not found",
		Code: "refusal.case-not-found", Params: map[string]string{"case": "gone000001"}},
}

func (f *codedBulkAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api/v1/decisions" {
		f.bulkAPI.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(api.DecisionsResponse{Kind: "enrolment", Action: "approve", Total: len(codedOutcomes), Done: 1,
		Refused: len(codedOutcomes) - 1, Outcomes: codedOutcomes})
}

// The outcome page of a bulk decision words every refusal from its code in the reader's
// language: in Indonesian, no English sentence of a refusal (nor of the answer) is left.
func TestBulkOutcomePageWordsRefusalsInTheReadersLanguage(t *testing.T) {
	s, err := web.New(&codedBulkAPI{}, web.Options{Location: time.FixedZone("WIB", 7*3600)})
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
	decide := func() string {
		code, page := b.postPage("/inbox/decide", url.Values{"kind": {"enrolment"}, "action": {"approve"},
			"case": {"okay000001", "full000001", "late000001", "shut000001", "rule000001", "gone000001"}, "back": {"/inbox"}})
		if code != http.StatusOK {
			t.Fatalf("bulk approve: %d %s", code, page)
		}
		return page
	}
	id := i18n.For(i18n.ID, nil)
	page := decide()
	contains(t, page,
		id.Tf("event.enrolment-approved.seat", "taken", "15", "capacity", "16"),
		"paket P1 penuh: 16 dari 16 kursi terisi",
		"tidak dapat memutuskan pendaftaran: kasus late000001 ada di tahap Pelatihan (perlu tahap Pendaftaran)",
		"kasus shut000001 sudah ditutup ("+id.Label("outcome", "withdrawn")+"): tidak ada yang perlu disetujui",
		"aturan belum terpenuhi ("+id.Tf("rule.age-below", "age", "15", "min", "18")+")",
		"kasus gone000001 tidak ditemukan")
	for _, o := range codedOutcomes {
		if strings.Contains(page, o.Message) {
			t.Errorf("the Indonesian page shows the English %q", o.Message)
		}
	}
	for _, english := range []string{"seats taken", "cannot ", "is closed", "nothing to", "rules not met", "not found", "at the start date"} {
		if strings.Contains(page, english) {
			t.Errorf("the Indonesian page has English words %q", english)
		}
	}

	// An English reader reads the same outcomes in English.
	if code, _ := b.post("/preferences", url.Values{"lang": {"en"}, "back": {"/inbox"}}); code != http.StatusSeeOther {
		t.Fatalf("switch to English: %d", code)
	}
	page = decide()
	contains(t, page, "package P1 is full: 16 of 16 seats taken",
		"cannot decide enrolment: case late000001 is in stage Training (needs Enrolment)",
		"case shut000001 is closed (Withdrawn): nothing to approve")
}
