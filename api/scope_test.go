package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// scopedServer is the API with token authentication on a fresh database and no Temporal: every
// scope check comes before a workflow is asked, so a check that let a request through to
// Temporal would fail the test (the client is nil), not pass it.
type scopedServer struct {
	t     *testing.T
	st    *store.Store
	svc   *starter.Service
	api   *api.Server
	url   string
	token map[string]string // by person
}

// scopeNIK is one person with cases at two centres.
const scopeNIK = "3515014101900001"

// newScopedServer seeds four cases over two centres and two LSPs:
//
//	sbyaaaaaaa  BLK-SBY  LSP-BLK-SBY  enrolment, waiting on the centre admin, stuck   (the person)
//	sbybbbbbbb  BLK-SBY  LSP-LOGAM    certification, waiting on the LSP manager, graduated
//	tbnaaaaaaa  BLK-TBN  LSP-LOGAM    certification, waiting on the LSP manager, stuck (the person)
//	tbnbbbbbbb  BLK-TBN  LSP-BLK-SBY  placement, graduated
//
// and tokens for ani (centre admin of BLK-SBY), budi (LSP manager of LSP-LOGAM), cora
// (coordinator) and vera (viewer).
func newScopedServer(t *testing.T) *scopedServer {
	t.Helper()
	st, cfg, svc := newStoreService(t)
	s := &scopedServer{t: t, st: st, svc: svc, token: map[string]string{}}
	s.api = &api.Server{Svc: svc, Store: st, Tokens: api.StoreTokens(st)}
	srv := httptest.NewServer(s.api.Handler())
	t.Cleanup(srv.Close)
	s.url = srv.URL

	ctx := context.Background()
	person := svc.NIKHash(scopeNIK)
	grad := time.Now().Add(-2 * cfg.Journey.Month)
	a1 := stuck(opsCase("sbyaaaaaaa", "BLK-SBY", "LSP-BLK-SBY", "enrolment", vocab.WaitingCentreAdmin), vocab.StuckApprovalOverdue, 1)
	a1.NIKHash = person
	a2 := opsCase("sbybbbbbbb", "BLK-SBY", "LSP-LOGAM", "certification", vocab.WaitingLSPManager)
	a2.Milestones = store.Milestones{Enrolled: true, Insured: true, Graduated: true, GraduatedOn: &grad}
	b1 := stuck(opsCase("tbnaaaaaaa", "BLK-TBN", "LSP-LOGAM", "certification", vocab.WaitingLSPManager), vocab.StuckApprovalOverdue, 2)
	b1.NIKHash = person
	b2 := opsCase("tbnbbbbbbb", "BLK-TBN", "LSP-BLK-SBY", "placement", "")
	b2.Milestones = store.Milestones{Enrolled: true, Insured: true, Graduated: true, GraduatedOn: &grad}
	for _, c := range []store.Case{a1, a2, b1, b2} {
		if err := st.UpsertCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := st.AppendEvent(ctx, store.Event{CaseID: c.CaseID, Key: "1", Kind: "started", At: apiT0}); err != nil {
			t.Fatal(err)
		}
	}
	for name, role := range map[string][]string{
		"ani":  {string(vocab.RoleCentreAdmin), "BLK-SBY"},
		"budi": {string(vocab.RoleLSPManager), "LSP-LOGAM"},
		"cora": {string(vocab.RoleCoordinator)},
		"vera": {string(vocab.RoleViewer)},
	} {
		token, hash, err := auth.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateToken(ctx, name, vocab.Role(role[0]), role[1:], hash); err != nil {
			t.Fatal(err)
		}
		s.token[name] = token
	}
	return s
}

// do sends a request as who and returns the status and the body.
func (s *scopedServer) do(who, method, path string, body any) (int, []byte) {
	s.t.Helper()
	resp, data := sendJSON(s.t, method, s.url+path, s.token[who], body)
	return resp.StatusCode, data
}

// get requires 200 and decodes the answer into out.
func (s *scopedServer) get(who, path string, out any) {
	s.t.Helper()
	code, data := s.do(who, "GET", path, nil)
	if code != http.StatusOK {
		s.t.Fatalf("%s GET %s: HTTP %d: %s", who, path, code, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		s.t.Fatalf("%s GET %s: %v in %s", who, path, err, data)
	}
}

// refused requires status and an error containing every want; it returns the error.
func (s *scopedServer) refused(who, method, path string, body any, status int, wants ...string) string {
	s.t.Helper()
	code, data := s.do(who, method, path, body)
	var e api.ErrorBody
	_ = json.Unmarshal(data, &e)
	if code != status {
		s.t.Fatalf("%s %s %s: HTTP %d %s, want %d", who, method, path, code, data, status)
	}
	for _, w := range wants {
		if !strings.Contains(e.Error, w) {
			s.t.Fatalf("%s %s %s: %q, want it to contain %q", who, method, path, e.Error, w)
		}
	}
	return e.Error
}

func (s *scopedServer) caseIDs(who, path string) []string {
	s.t.Helper()
	var cs []store.Case
	s.get(who, path, &cs)
	ids := []string{}
	for _, c := range cs {
		ids = append(ids, c.CaseID)
	}
	slices.Sort(ids)
	return ids
}

func (s *scopedServer) stuckIDs(who, path string) []string {
	s.t.Helper()
	var l api.StuckList
	s.get(who, path, &l)
	ids := []string{}
	for _, c := range l.Cases {
		ids = append(ids, c.CaseID)
	}
	if l.Total != len(ids) {
		s.t.Errorf("%s %s: total %d for %v", who, path, l.Total, ids)
	}
	return ids
}

func wantIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: %v, want %v", what, got, want)
	}
}

// A centre admin reads the cases of its centres only, in every list, count and export; a case
// of another centre is not found, word for word like a case that does not exist, for a read
// and for a step; a filter naming another centre is refused with its scope.
func TestCentreAdminReadsItsCentresOnly(t *testing.T) {
	s := newScopedServer(t)

	wantIDs(t, "ani's cases", s.caseIDs("ani", "/api/v1/cases"), "sbyaaaaaaa", "sbybbbbbbb")
	wantIDs(t, "ani's cases of LSP-LOGAM", s.caseIDs("ani", "/api/v1/cases?lsp=LSP-LOGAM"), "sbybbbbbbb")
	wantIDs(t, "ani's stuck cases", s.caseIDs("ani", "/api/v1/cases?stuck=true"), "sbyaaaaaaa")
	s.refused("ani", "GET", "/api/v1/cases?centre=BLK-TBN", nil, http.StatusForbidden, "scoped to BLK-SBY", "BLK-TBN")
	code, data := s.do("ani", "GET", "/api/v1/cases?format=csv", nil)
	if code != http.StatusOK || !strings.Contains(string(data), "sbyaaaaaaa") || strings.Contains(string(data), "tbn") {
		t.Fatalf("ani's cases CSV: HTTP %d\n%s", code, data)
	}

	// Another centre's case is answered like a missing one, for every read of one case.
	missing := s.refused("ani", "GET", "/api/v1/cases/zzzzzzzzzz", nil, http.StatusNotFound, "case zzzzzzzzzz not found")
	for _, path := range []string{"/api/v1/cases/tbnaaaaaaa", "/api/v1/cases/tbnaaaaaaa/events",
		"/api/v1/cases/tbnaaaaaaa/events?format=csv", "/api/v1/cases/tbnaaaaaaa/workflow"} {
		got := s.refused("ani", "GET", path, nil, http.StatusNotFound)
		if got != strings.ReplaceAll(missing, "zzzzzzzzzz", "tbnaaaaaaa") {
			t.Errorf("GET %s: %q, not the same words as a missing case (%q)", path, got, missing)
		}
	}
	// A step too: it must not confirm the case, nor name its centre.
	got := s.refused("ani", "POST", "/api/v1/cases/tbnaaaaaaa/enrolment", map[string]any{"approve": true}, http.StatusNotFound, "case tbnaaaaaaa not found")
	if strings.Contains(got, "BLK-TBN") || strings.Contains(got, "LSP-LOGAM") {
		t.Errorf("a refused step names the case's centre or LSP: %q", got)
	}
	var ev []store.Event
	s.get("ani", "/api/v1/cases/sbyaaaaaaa/events", &ev)
	if len(ev) != 1 {
		t.Fatalf("ani's own timeline: %+v", ev)
	}

	// The person has a case at each centre; ani learns only of hers.
	wantIDs(t, "ani's NIK lookup", s.lookup("ani"), "sbyaaaaaaa")

	wantIDs(t, "ani's stuck list", s.stuckIDs("ani", "/api/v1/stuck"), "sbyaaaaaaa")
	wantIDs(t, "ani's stuck list at BLK-SBY", s.stuckIDs("ani", "/api/v1/stuck?centre=BLK-SBY"), "sbyaaaaaaa")
	s.refused("ani", "GET", "/api/v1/stuck?centre=BLK-TBN", nil, http.StatusForbidden, "centre-admin ani is scoped to BLK-SBY", "centre BLK-TBN")
	s.refused("ani", "GET", "/api/v1/stuck?centre=BLK-TBN&format=csv", nil, http.StatusForbidden, "BLK-TBN")
	code, data = s.do("ani", "GET", "/api/v1/stuck?format=csv", nil)
	if code != http.StatusOK || !strings.Contains(string(data), "sbyaaaaaaa") || strings.Contains(string(data), "tbnaaaaaaa") {
		t.Fatalf("ani's stuck CSV: HTTP %d\n%s", code, data)
	}

	in := s.inbox("ani", "/api/v1/inbox")
	wantIDs(t, "ani's enrolment approvals", in["enrolment-approval"], "sbyaaaaaaa")
	wantIDs(t, "ani's view of certification approvals", in["certification-approval"], "sbybbbbbbb")
	s.refused("ani", "GET", "/api/v1/inbox?centre=BLK-TBN", nil, http.StatusForbidden, "BLK-TBN")

	// The overview counts her centre only; the network's count, asked first, is not served to her.
	var net, o api.Overview
	s.get("cora", "/api/v1/overview", &net)
	s.get("ani", "/api/v1/overview", &o)
	if net.Total.Cases != 4 {
		t.Fatalf("coordinator's overview counts %d cases, want 4", net.Total.Cases)
	}
	if len(o.Centres) != 1 || o.Centres[0].CentreCode != "BLK-SBY" || o.Centres[0].Name == "" || o.Centres[0].Cases != 2 ||
		o.Total.Cases != 2 || o.Total.Stuck != 1 {
		t.Fatalf("ani's overview: total %+v, centres %+v", o.Total, o.Centres)
	}
	code, data = s.do("ani", "GET", "/api/v1/overview?format=csv", nil)
	if code != http.StatusOK || strings.Contains(string(data), "BLK-TBN") || !strings.Contains(string(data), "TOTAL,,2,") {
		t.Fatalf("ani's overview CSV: HTTP %d\n%s", code, data)
	}

	var ts api.TracerStudy
	s.get("ani", "/api/v1/reports/tracer-study", &ts)
	if len(ts.Rows) != 1 || ts.Rows[0].CentreCode != "BLK-SBY" || ts.Rows[0].Graduates != 1 {
		t.Fatalf("ani's tracer study %+v", ts.Rows)
	}
	code, data = s.do("ani", "GET", "/api/v1/reports/tracer-study?format=csv", nil)
	if code != http.StatusOK || strings.Contains(string(data), "BLK-TBN") {
		t.Fatalf("ani's tracer study CSV: HTTP %d\n%s", code, data)
	}

	// The BPJS batch file is the whole network's, and taking it marks it exported: not a centre
	// admin's to take, nor a viewer's, who changes nothing.
	s.refused("ani", "GET", "/api/v1/insurance/batch/export", nil, http.StatusForbidden, "marks the network's pending registrations exported")
	s.refused("vera", "GET", "/api/v1/insurance/batch/export", nil, http.StatusForbidden, "may not take the BPJS batch file")
}

// An LSP manager reads the cases its LSPs certify, whatever the centre.
func TestLSPManagerReadsItsLSPsCasesOnly(t *testing.T) {
	s := newScopedServer(t)
	wantIDs(t, "budi's cases", s.caseIDs("budi", "/api/v1/cases"), "sbybbbbbbb", "tbnaaaaaaa")
	wantIDs(t, "budi's cases at BLK-TBN", s.caseIDs("budi", "/api/v1/cases?centre=BLK-TBN"), "tbnaaaaaaa")
	s.refused("budi", "GET", "/api/v1/cases?lsp=LSP-BLK-SBY", nil, http.StatusForbidden, "lsp-manager budi is scoped to LSP-LOGAM", "LSP LSP-BLK-SBY")
	s.refused("budi", "GET", "/api/v1/cases/sbyaaaaaaa/events", nil, http.StatusNotFound, "case sbyaaaaaaa not found")
	wantIDs(t, "budi's NIK lookup", s.lookup("budi"), "tbnaaaaaaa")
	wantIDs(t, "budi's stuck list", s.stuckIDs("budi", "/api/v1/stuck"), "tbnaaaaaaa")
	s.refused("budi", "GET", "/api/v1/stuck?lsp=LSP-BLK-SBY", nil, http.StatusForbidden, "LSP-BLK-SBY")

	in := s.inbox("budi", "/api/v1/inbox")
	wantIDs(t, "budi's certification approvals", in["certification-approval"], "sbybbbbbbb", "tbnaaaaaaa")
	wantIDs(t, "budi's view of enrolment approvals", in["enrolment-approval"])

	var o api.Overview
	s.get("budi", "/api/v1/overview", &o)
	if o.Total.Cases != 2 || len(o.Centres) != 2 || o.Centres[0].Cases != 1 || o.Centres[1].Cases != 1 {
		t.Fatalf("budi's overview: total %+v, centres %+v", o.Total, o.Centres)
	}
	var ts api.TracerStudy
	s.get("budi", "/api/v1/reports/tracer-study", &ts)
	if len(ts.Rows) != 1 || ts.Rows[0].CentreCode != "BLK-SBY" || ts.Rows[0].Graduates != 1 {
		t.Fatalf("budi's tracer study %+v", ts.Rows)
	}
}

// The unscoped roles keep reading the whole network.
func TestUnscopedRolesReadEverything(t *testing.T) {
	s := newScopedServer(t)
	for _, who := range []string{"cora", "vera"} {
		wantIDs(t, who+"'s cases", s.caseIDs(who, "/api/v1/cases"), "sbyaaaaaaa", "sbybbbbbbb", "tbnaaaaaaa", "tbnbbbbbbb")
		wantIDs(t, who+"'s cases at BLK-TBN", s.caseIDs(who, "/api/v1/cases?centre=BLK-TBN"), "tbnaaaaaaa", "tbnbbbbbbb")
		wantIDs(t, who+"'s stuck list", s.stuckIDs(who, "/api/v1/stuck"), "sbyaaaaaaa", "tbnaaaaaaa")
		wantIDs(t, who+"'s NIK lookup", s.lookup(who), "sbyaaaaaaa", "tbnaaaaaaa")
		var ev []store.Event
		s.get(who, "/api/v1/cases/tbnaaaaaaa/events", &ev)
		var o api.Overview
		s.get(who, "/api/v1/overview", &o)
		if o.Total.Cases != 4 {
			t.Errorf("%s's overview counts %d cases, want 4", who, o.Total.Cases)
		}
		var ts api.TracerStudy
		s.get(who, "/api/v1/reports/tracer-study", &ts)
		if len(ts.Rows) != 2 {
			t.Errorf("%s's tracer study %+v", who, ts.Rows)
		}
	}
}

// The pages call the API in-process with the logged-in identity, past the token check but not
// past the policy (auth's table): the handlers' own scoping keeps another centre's cases off them.
func TestPagesShowOnlyTheScope(t *testing.T) {
	s := newScopedServer(t)
	site, err := web.New(s.api.Handler(), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ani := auth.Identity{Name: "ani", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}
	h := site.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(api.WithIdentity(r.Context(), ani)))
	}))
	defer srv.Close()
	page := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := page("/stuck")
	if code != http.StatusOK || !strings.Contains(body, "sbyaaaaaaa") || strings.Contains(body, "tbnaaaaaaa") {
		t.Fatalf("ani's stuck page: HTTP %d, want sbyaaaaaaa and not tbnaaaaaaa:\n%s", code, body)
	}
	code, body = page("/inbox")
	if code != http.StatusOK || !strings.Contains(body, "sbyaaaaaaa") || strings.Contains(body, "tbnaaaaaaa") {
		t.Fatalf("ani's inbox page: HTTP %d:\n%s", code, body)
	}
	if code, body = page("/cases/tbnaaaaaaa"); code != http.StatusNotFound || strings.Contains(body, "BLK-TBN") {
		t.Fatalf("ani's page of another centre's case: HTTP %d:\n%s", code, body)
	}
	// An escalation from the page is refused as the API refuses ani's token (a centre admin
	// may not escalate: issue 14 point 4), before any workflow is asked.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/api/v1/cases/tbnaaaaaaa/escalate", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	s.api.Handler().ServeHTTP(rec, req.WithContext(api.WithIdentity(req.Context(),
		auth.Identity{Name: "ani", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}})))
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "may not escalate") {
		t.Fatalf("in-process escalation of another centre's case: HTTP %d %s", rec.Code, rec.Body)
	}
}

// lookup finds scopeNIK's cases as who.
func (s *scopedServer) lookup(who string) []string {
	s.t.Helper()
	code, data := s.do(who, "POST", "/api/v1/cases/lookup", api.LookupRequest{NIK: scopeNIK})
	if code != http.StatusOK {
		s.t.Fatalf("%s lookup: HTTP %d %s", who, code, data)
	}
	var cs []store.Case
	if err := json.Unmarshal(data, &cs); err != nil {
		s.t.Fatal(err)
	}
	ids := []string{}
	for _, c := range cs {
		ids = append(ids, c.CaseID)
	}
	slices.Sort(ids)
	return ids
}

// inbox fetches an inbox as who: the case IDs by kind.
func (s *scopedServer) inbox(who, path string) map[string][]string {
	s.t.Helper()
	var in api.Inbox
	s.get(who, path, &in)
	out := map[string][]string{}
	for _, g := range in.Groups {
		ids := []string{}
		for _, c := range g.Cases {
			ids = append(ids, c.CaseID)
		}
		if g.Total != len(ids) {
			s.t.Errorf("%s %s: %s total %d for %v", who, path, g.Kind, g.Total, ids)
		}
		slices.Sort(ids)
		out[g.Kind] = ids
	}
	return out
}
