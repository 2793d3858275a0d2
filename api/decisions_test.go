package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// decideMany posts a bulk decision and decodes the answer, failing unless it is 200.
func (s *opsServer) decideMany(req api.DecisionsRequest) api.DecisionsResponse {
	s.t.Helper()
	code, _, data := s.do("POST", "/api/v1/decisions", req)
	if code != http.StatusOK {
		s.t.Fatalf("POST /api/v1/decisions: HTTP %d %s", code, data)
	}
	var out api.DecisionsResponse
	if err := json.Unmarshal(data, &out); err != nil {
		s.t.Fatal(err)
	}
	return out
}

// checked records the enrolment check of a case, with the rules it found not met.
func (s *opsServer) checked(caseID string, rules ...string) {
	s.t.Helper()
	detail := "waiting for a centre admin to approve"
	if len(rules) > 0 {
		detail += "; rules not met: " + strings.Join(rules, "; ")
	}
	if err := s.store.AppendEvent(context.Background(), store.Event{CaseID: caseID, Key: "checked", Kind: "enrolment-checked",
		Stage: vocab.StageEnrolment, Detail: detail + "; not approved automatically: package P is full: 2 of 2 seats taken", At: apiT0}); err != nil {
		s.t.Fatal(err)
	}
}

// A bulk decision answers every case on its own: a closed case, one outside the caller's scope,
// an unknown one and an override without a reason are each refused in the single endpoint's
// words, and none of them stops the others from being reported.
func TestBulkDecisionAnswersCaseByCase(t *testing.T) {
	admin := auth.Identity{Name: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}
	s := newOpsServerAs(t, admin)
	closed := opsCase("cccccccccc", "BLK-SBY", "LSP-A", vocab.StageClosed, "")
	closed.Status, closed.Outcome = store.StatusClosed, vocab.OutcomeRejected
	s.put(closed,
		opsCase("oooooooooo", "BLK-MLG", "LSP-A", vocab.StageEnrolment, vocab.WaitingCentreAdmin),
		opsCase("rrrrrrrrrr", "BLK-SBY", "LSP-A", vocab.StageEnrolment, vocab.WaitingCentreAdmin))
	s.checked("rrrrrrrrrr", "age 15 is below the minimum of 18")

	out := s.decideMany(api.DecisionsRequest{Kind: "enrolment", Action: "approve",
		CaseIDs: []string{"cccccccccc", "oooooooooo", "zzzzzzzzzz", "rrrrrrrrrr", "cccccccccc"}})
	if out.Total != 4 || out.Done != 0 || out.Refused != 4 || len(out.Outcomes) != 4 {
		t.Fatalf("got %+v, want 4 cases (the repeated one once), all refused", out)
	}
	want := []struct {
		id     string
		status int
		words  string
	}{
		{"cccccccccc", http.StatusConflict, "case cccccccccc is closed (rejected)"},
		{"oooooooooo", http.StatusNotFound, "case oooooooooo not found"},
		{"zzzzzzzzzz", http.StatusNotFound, "case zzzzzzzzzz not found"},
		{"rrrrrrrrrr", http.StatusUnprocessableEntity, "rules not met (age 15 is below the minimum of 18): not approved; to approve anyway, confirm the override"},
	}
	for i, w := range want {
		o := out.Outcomes[i]
		if o.CaseID != w.id || o.OK || o.Status != w.status || !strings.Contains(o.Message, w.words) {
			t.Errorf("outcome %d: %+v, want %s refused %d %q", i, o, w.id, w.status, w.words)
		}
	}
	// Each refusal carries its code, and its words in the request's language (Indonesian, as
	// none is asked for): the closed case's from starter's check, the others from the API's.
	for i, w := range []struct{ code, words string }{
		{"refusal.closed", "kasus cccccccccc sudah ditutup (Ditolak): tidak ada yang perlu disetujui"},
		{"refusal.case-not-found", "kasus oooooooooo tidak ditemukan"},
		{"refusal.case-not-found", "kasus zzzzzzzzzz tidak ditemukan"},
		{"refusal.rules-not-met", "aturan belum terpenuhi (age 15 is below the minimum of 18): tidak disetujui"},
	} {
		if o := out.Outcomes[i]; o.Code != w.code || !strings.HasPrefix(o.Words, w.words) {
			t.Errorf("outcome %d: code %q, words %q; want %s, %q", i, o.Code, o.Words, w.code, w.words)
		}
	}
	// The single endpoint refuses the override without a reason the same way, naming it.
	s.wantStatus("POST", "/api/v1/cases/rrrrrrrrrr/enrolment", workflows.EnrolmentDecision{Approve: true},
		http.StatusUnprocessableEntity, "reason: required to approve an enrolment whose check found rules not met")
	// The evidence the journey recorded comes back from the read model: K/BK per unit and the assessor.
	s.put(opsCase("kkkkkkkkkk", "BLK-SBY", "LSP-A", vocab.StageCertification, vocab.WaitingLSPManager))
	units := []store.UnitResult{{Unit: "LAS.01", Result: "K"}, {Unit: "LAS.02", Result: "BK"}}
	if err := s.store.AppendEvent(context.Background(), store.Event{CaseID: "kkkkkkkkkk", Key: "assessed", Kind: "assessment-result",
		Stage: vocab.StageAssessment, Detail: "assessment result recorded: 1 K, 1 BK (assessor asr-7)", At: apiT0,
		Evidence: &store.EventEvidence{Assessor: "asr-7", Units: units}}); err != nil {
		t.Fatal(err)
	}
	// The inbox's evidence lists the rule, not the full-package note that follows it.
	var in api.Inbox
	s.getJSON("/api/v1/inbox", &in)
	seen := 0
	for _, g := range in.Groups {
		for _, c := range g.Cases {
			if c.CaseID == "kkkkkkkkkk" {
				seen++
				if c.Evidence == nil || c.Evidence.Assessor != "asr-7" || !slices.Equal(c.Evidence.Units, units) {
					t.Errorf("evidence of kkkkkkkkkk: %+v, want asr-7's units", c.Evidence)
				}
			}
			if c.CaseID == "rrrrrrrrrr" && (c.Evidence == nil || len(c.Evidence.RulesNotMet) != 1) {
				t.Errorf("evidence of rrrrrrrrrr: %+v, want the one rule", c.Evidence)
			}
		}
	}
	if seen != 1 {
		t.Errorf("the certification case is listed %d times", seen)
	}
}

// What concerns every case refuses the request whole, before any case is decided: more than
// the bound, a bad kind or action, a rejection without a reason, a role that may not decide.
func TestBulkDecisionRefusesTheWholeRequest(t *testing.T) {
	admin := auth.Identity{Name: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}
	s := newOpsServerAs(t, admin)
	many := make([]string, api.MaxBulkDecisions+1)
	for i := range many {
		many[i] = fmt.Sprintf("a%09d", i)
	}
	s.wantStatus("POST", "/api/v1/decisions", api.DecisionsRequest{Kind: "enrolment", Action: "approve", CaseIDs: many},
		http.StatusUnprocessableEntity, "at most 1000 cases per request, not 1001")
	s.wantStatus("POST", "/api/v1/decisions", api.DecisionsRequest{Kind: "enrolment", Action: "reject", CaseIDs: []string{"aaaaaaaaaa"}},
		http.StatusUnprocessableEntity, "reason: required to reject")
	s.wantStatus("POST", "/api/v1/decisions", api.DecisionsRequest{Kind: "enrolment", Action: "approve"},
		http.StatusUnprocessableEntity, "give case_ids or a filter")
	s.wantStatus("POST", "/api/v1/decisions", api.DecisionsRequest{Kind: "enrolment", Action: "approve", OverrideRules: true, CaseIDs: []string{"aaaaaaaaaa"}},
		http.StatusUnprocessableEntity, "reason: required to override rules not met")
	s.wantStatus("POST", "/api/v1/decisions", api.DecisionsRequest{Kind: "certification", Action: "approve", CaseIDs: []string{"aaaaaaaaaa"}},
		http.StatusForbidden, "role centre-admin may not decide-certification")
	s.wantStatus("POST", "/api/v1/decisions", api.DecisionsRequest{Kind: "placement", Action: "approve", CaseIDs: []string{"aaaaaaaaaa"}},
		http.StatusUnprocessableEntity, "kind: enrolment or certification")

	viewer := newOpsServerAs(t, auth.Identity{Name: "v", Role: vocab.RoleViewer})
	viewer.wantStatus("POST", "/api/v1/decisions", api.DecisionsRequest{Kind: "enrolment", Action: "approve", CaseIDs: []string{"aaaaaaaaaa"}},
		http.StatusForbidden, "role viewer may not decide-enrolment")

	// A filter selects the waiting cases in scope; matching more than the bound is refused with the count.
	var cs []store.Case
	for i := range api.MaxBulkDecisions + 1 {
		cs = append(cs, opsCase(fmt.Sprintf("b%09d", i), "BLK-SBY", "LSP-A", vocab.StageEnrolment, vocab.WaitingCentreAdmin))
	}
	s.put(cs...)
	s.wantStatus("POST", "/api/v1/decisions", api.DecisionsRequest{Kind: "enrolment", Action: "approve", Filter: &api.DecisionFilter{Package: "P"}},
		http.StatusUnprocessableEntity, "the filter matches 1001 cases; at most 1000 per request")
	s.wantStatus("POST", "/api/v1/decisions", api.DecisionsRequest{Kind: "enrolment", Action: "approve", Filter: &api.DecisionFilter{Centre: "BLK-MLG"}},
		http.StatusForbidden, "centre BLK-MLG is outside it")
	out := s.decideMany(api.DecisionsRequest{Kind: "enrolment", Action: "approve", Filter: &api.DecisionFilter{Package: "NONE"}})
	if out.Total != 0 || len(out.Outcomes) != 0 {
		t.Errorf("a filter matching nothing: %+v", out)
	}
}

// An enrolment check since the rules have codes: a bulk approval refused for them words each
// rule in the request's language (words), hands the codes on (rules), and keeps the English in
// message and params; the inbox's evidence carries the codes beside the English too.
func TestBulkDecisionWordsCodedRules(t *testing.T) {
	admin := auth.Identity{Name: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}
	s := newOpsServerAs(t, admin)
	s.put(opsCase("rrrrrrrrrr", "BLK-SBY", "LSP-A", vocab.StageEnrolment, vocab.WaitingCentreAdmin))
	rule := i18n.M("rule.age-below", "age", "15", "min", "18")
	english := rule.English()
	if err := s.store.AppendEvent(context.Background(), store.Event{CaseID: "rrrrrrrrrr", Key: "checked", Kind: "enrolment-checked",
		Stage: vocab.StageEnrolment, Detail: "waiting for a centre admin to approve; rules not met: " + english, At: apiT0,
		Evidence: &store.EventEvidence{Rules: []i18n.Message{rule}}}); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"": i18n.For(i18n.ID, nil).T(rule.Code, rule.Params), "en": english} {
		req := api.DecisionsRequest{Kind: "enrolment", Action: "approve", CaseIDs: []string{"rrrrrrrrrr"}}
		b, _ := json.Marshal(req)
		hr, _ := http.NewRequest("POST", s.url+"/api/v1/decisions", bytes.NewReader(b))
		hr.Header.Set("Content-Type", "application/json")
		if lang != "" {
			hr.Header.Set("Accept-Language", lang)
		}
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		var out api.DecisionsResponse
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || len(out.Outcomes) != 1 {
			t.Fatalf("lang %q: %v %+v", lang, err, out)
		}
		o := out.Outcomes[0]
		if o.Code != "refusal.rules-not-met" || !strings.Contains(o.Words, "("+want+")") {
			t.Errorf("lang %q: code %q, words %q; want the rule worded %q", lang, o.Code, o.Words, want)
		}
		if len(o.Rules) != 1 || o.Rules[0].Code != "rule.age-below" || o.Params["rules"] != english || !strings.Contains(o.Message, english) {
			t.Errorf("lang %q: rules %+v, params %v, message %q; want the code beside the English", lang, o.Rules, o.Params, o.Message)
		}
	}
	var in api.Inbox
	s.getJSON("/api/v1/inbox", &in)
	found := false
	for _, g := range in.Groups {
		for _, c := range g.Cases {
			if c.CaseID == "rrrrrrrrrr" {
				found = c.Evidence != nil && len(c.Evidence.RuleNotes) == 1 && c.Evidence.RuleNotes[0].Code == "rule.age-below" &&
					slices.Equal(c.Evidence.RulesNotMet, []string{english})
			}
		}
	}
	if !found {
		t.Errorf("inbox evidence of rrrrrrrrrr lacks the rule's code: %+v", in.Groups)
	}
}
