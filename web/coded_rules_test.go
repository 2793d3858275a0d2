package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// codedRule is a rule not met as a journey since the codes records it; its English beside it is
// one no pattern of web/phrases.go knows, so a page showing the right words read the code.
var (
	codedRule    = i18n.M("rule.overlap", "package", "P0", "case", "prev000001")
	codedWarning = i18n.M("warning.nik-sex", "nik", "P", "stated", "L")
)

const codedEnglish, codedWarningEnglish = "some rule, as an older English had it", "some warning"

// codedCaseAPI serves a case waiting for its enrolment approval whose check and import recorded
// their codes, and a bulk decision refused for that rule.
type codedCaseAPI struct{ fakeAPI }

func (f *codedCaseAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	send := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	switch r.URL.Path {
	case "/api/v1/cases/code000001":
		st := workflows.CaseState{Stage: "enrolment", WaitingOn: "centre-admin"}
		st.Enrolment = workflows.EnrolmentState{Checked: true, Problems: []string{codedEnglish}, ProblemNotes: []i18n.Message{codedRule},
			Warnings: []string{codedWarningEnglish}, WarningNotes: []i18n.Message{codedWarning}}
		send(api.CaseView{Case: store.Case{CaseID: "code000001", PackageCode: "P1", CentreCode: "BLK-SBY", LSPCode: "LSP-BLK-SBY",
			Stage: "enrolment", Status: store.StatusOpen, WaitingOn: "centre-admin", StageEnteredAt: since}, State: &st,
			Events: []store.Event{{Kind: "enrolment-checked", Stage: "enrolment", At: since, Code: "event.enrolment-checked",
				Params:   map[string]string{"problems": codedEnglish},
				Detail:   "waiting for a centre admin to approve; rules not met: " + codedEnglish,
				Evidence: &store.EventEvidence{Rules: []i18n.Message{codedRule}}}}})
	case "/api/v1/cases/code000001/workflow":
		send(starter.WorkflowInfo{WorkflowID: "journey/P1/c", RunID: "r1", Status: "running"})
	case "/api/v1/decisions":
		send(api.DecisionsResponse{Kind: "enrolment", Action: "approve", Total: 1, Refused: 1, Outcomes: []api.DecisionOutcome{
			{CaseID: "code000001", Status: 422, Message: "rules not met (" + codedEnglish + "): not approved",
				Code: "refusal.rules-not-met", Params: map[string]string{"rules": codedEnglish}, Rules: []i18n.Message{codedRule}}}})
	default:
		f.fakeAPI.ServeHTTP(w, r)
	}
}

// The case page words the rules and warnings of a check since the codes from their codes in the
// reader's language: beside Approve, in the case's facts and in the timeline; and the outcome
// page of a bulk decision refused for them does the same.
func TestCodedRulesOnTheCasePage(t *testing.T) {
	b := newSiteWith(t, &codedCaseAPI{})
	if code, _ := b.post("/actor", url.Values{"name": {"siti"}, "back": {"/"}}); code != http.StatusSeeOther {
		t.Fatalf("set name: %d", code)
	}
	for _, l := range []i18n.Lang{i18n.ID, i18n.EN} {
		if code, _ := b.post("/preferences", url.Values{"lang": {string(l)}, "back": {"/"}}); code != http.StatusSeeOther {
			t.Fatalf("switch to %s: %d", l, code)
		}
		rd := i18n.For(l, nil)
		rule, warning := codedRule.In(rd), codedWarning.In(rd)
		_, _, page := b.get("/cases/code000001")
		page = html.UnescapeString(page)
		contains(t, page, "<li>"+rule+"</li>", rule+"<br>", warning+"<br>", rd.Tf("event.enrolment-checked", "problems", rule))
		lacks(t, page, codedEnglish, codedWarningEnglish)
		code, out := b.postPage("/inbox/decide", url.Values{"kind": {"enrolment"}, "action": {"approve"}, "case": {"code000001"}, "back": {"/inbox"}})
		out = html.UnescapeString(out)
		if code != http.StatusOK || !strings.Contains(out, rd.Tf("refusal.rules-not-met", "rules", rule)) || strings.Contains(out, codedEnglish) {
			t.Errorf("%s: bulk outcome %d lacks the rule worded %q:\n%s", l, code, rule, out)
		}
	}
}
