package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// TestPeopleInLists: lists, the inbox, the stuck list and the case name the person for the
// roles that act, within their scope; a search by name or NIK (POST) finds only cases in scope;
// a viewer sees no person and may not search by one; list answers say how many match in all.
func TestPeopleInLists(t *testing.T) {
	s := newScopedServer(t)
	ctx := context.Background()
	if err := s.st.UpsertParticipant(ctx, store.Participant{NIKHash: s.svc.NIKHash(scopeNIK), NIK: scopeNIK,
		Name: "Siti Nurhaliza", BirthDate: apiT0.AddDate(-30, 0, 0), Phone: "081234567890"}); err != nil {
		t.Fatal(err)
	}
	search := func(who string, req api.SearchRequest) api.CasePage {
		t.Helper()
		code, data := s.do(who, "POST", "/api/v1/cases/search", req)
		if code != http.StatusOK {
			t.Fatalf("%s search %+v: HTTP %d %s", who, req, code, data)
		}
		var p api.CasePage
		if err := json.Unmarshal(data, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ids := func(cs []store.Case) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.CaseID)
		}
		return strings.Join(out, ",")
	}

	p := search("ani", api.SearchRequest{Name: "nurhal"})
	if p.Total != 1 || ids(p.Cases) != "sbyaaaaaaa" {
		t.Fatalf("ani's name search: %+v", p)
	}
	per := p.Cases[0].Person
	if per == nil || per.Name != "Siti Nurhaliza" || per.NIKMasked != "3515••••••••0001" || per.Phone != "081234567890" || per.Age < 29 {
		t.Fatalf("person = %+v", per)
	}
	if p := search("cora", api.SearchRequest{NIK: scopeNIK}); p.Total != 2 {
		t.Fatalf("cora's NIK search: %+v", p)
	}
	if p := search("budi", api.SearchRequest{Name: "siti"}); ids(p.Cases) != "tbnaaaaaaa" {
		t.Fatalf("budi's name search: %+v", p)
	}
	if p := search("cora", api.SearchRequest{Limit: 1, Offset: 1}); p.Total != 4 || len(p.Cases) != 1 || p.Offset != 1 {
		t.Fatalf("cora's second page of one: %+v", p)
	}
	s.refused("vera", "POST", "/api/v1/cases/search", api.SearchRequest{Name: "siti"}, http.StatusForbidden, "viewer")
	s.refused("ani", "POST", "/api/v1/cases/search", api.SearchRequest{NIK: "12"}, http.StatusUnprocessableEntity, "nik")

	// The list keeps its array, and says how many match in all.
	resp, data := sendJSON(t, "GET", s.url+"/api/v1/cases?limit=1", s.token["cora"], nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Total-Count") != "4" {
		t.Fatalf("GET cases?limit=1: HTTP %d, X-Total-Count %q: %s", resp.StatusCode, resp.Header.Get("X-Total-Count"), data)
	}
	var vcs []store.Case
	s.get("vera", "/api/v1/cases", &vcs)
	for _, c := range vcs {
		if c.Person != nil {
			t.Fatalf("the viewer sees %s's person", c.CaseID)
		}
	}
	if _, data := s.do("vera", "GET", "/api/v1/cases?format=csv", nil); strings.Contains(string(data), "Siti") {
		t.Fatalf("the viewer's CSV names the person:\n%s", data)
	}
	_, csv := s.do("ani", "GET", "/api/v1/cases?format=csv", nil)
	if !strings.Contains(string(csv), "Siti Nurhaliza,3515••••••••0001,") {
		t.Fatalf("ani's CSV does not name the person:\n%s", csv)
	}

	for _, e := range []store.Event{
		{CaseID: "sbyaaaaaaa", Key: "chk", Kind: "enrolment-checked", Stage: "enrolment", At: apiT0.Add(time.Minute),
			Detail: "waiting for a centre admin to approve; rules not met: package SBY-1 is full (20 of 20 seats); age 14 is under 15"},
		{CaseID: "tbnaaaaaaa", Key: "res", Kind: "assessment-result", Stage: "assessment", ActorID: "asr-7", ActorRole: "assessor",
			At: apiT0.Add(time.Hour), Detail: "assessment result recorded: 2 K, 1 BK (assessor asr-7)"},
	} {
		if err := s.st.AppendEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	var in api.Inbox
	s.get("ani", "/api/v1/inbox", &in)
	for _, g := range in.Groups {
		for _, c := range g.Cases {
			if c.CaseID == "sbyaaaaaaa" && (c.Evidence == nil || strings.Join(c.Evidence.RulesNotMet, "|") != "package SBY-1 is full (20 of 20 seats)|age 14 is under 15") {
				t.Fatalf("the enrolment approval's evidence: %+v", c.Evidence)
			}
		}
	}
	var budiIn api.Inbox
	s.get("budi", "/api/v1/inbox?role=lsp-manager", &budiIn)
	gotResult := false
	for _, g := range budiIn.Groups {
		for _, c := range g.Cases {
			if c.CaseID == "tbnaaaaaaa" && g.Kind == "certification-approval" {
				gotResult = c.Evidence != nil && c.Evidence.By == "asr-7" && strings.Contains(c.Evidence.Detail, "2 K, 1 BK") && c.Evidence.At.Equal(apiT0.Add(time.Hour))
			}
		}
	}
	if !gotResult {
		t.Fatalf("the certification approval's evidence: %+v", budiIn)
	}
	found := false
	for _, g := range in.Groups {
		for _, c := range g.Cases {
			if c.CaseID == "sbyaaaaaaa" && c.Person != nil && c.Person.Name == "Siti Nurhaliza" {
				found = true
			}
		}
	}
	if !found {
		t.Fatalf("ani's inbox does not name the person: %+v", in)
	}
	var stuck api.StuckList
	s.get("budi", "/api/v1/stuck", &stuck)
	if len(stuck.Cases) != 1 || stuck.Cases[0].Person == nil || stuck.Cases[0].Person.Phone != "081234567890" {
		t.Fatalf("budi's stuck list: %+v", stuck)
	}
	// (The case view attaches the person the same way; it needs Temporal, so the pages' tests cover it.)
	var looked []store.Case
	code, data := s.do("ani", "POST", "/api/v1/cases/lookup", api.LookupRequest{NIK: scopeNIK})
	if err := json.Unmarshal(data, &looked); code != http.StatusOK || err != nil || len(looked) != 1 || looked[0].Person == nil {
		t.Fatalf("ani's NIK lookup: HTTP %d %s", code, data)
	}
}
