package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// opsServer is the API on a fresh, seeded database with no Temporal behind it: enough for every
// endpoint that reads the store, and for the refusals that come before a workflow is asked.
type opsServer struct {
	t     *testing.T
	store *store.Store
	url   string
	cfg   *config.Config
}

func newOpsServer(t *testing.T) *opsServer {
	t.Helper()
	st, cfg, svc := newStoreService(t)
	srv := httptest.NewServer((&api.Server{Svc: svc, Store: st}).Handler())
	t.Cleanup(srv.Close)
	return &opsServer{t: t, store: st, url: srv.URL, cfg: cfg}
}

// newOpsServerAs is newOpsServer with every request made as id, as the token check would.
func newOpsServerAs(t *testing.T, id auth.Identity) *opsServer {
	t.Helper()
	st, cfg, svc := newStoreService(t)
	h := (&api.Server{Svc: svc, Store: st}).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(api.WithIdentity(r.Context(), id)))
	}))
	t.Cleanup(srv.Close)
	return &opsServer{t: t, store: st, url: srv.URL, cfg: cfg}
}

// newStoreService is a fresh, seeded database and the service over it, with no Temporal
// behind it, configured with the default configuration and month-long follow-up months.
func newStoreService(t *testing.T) (*store.Store, *config.Config, *starter.Service) {
	t.Helper()
	_, st := testdb.NewMigrated(t)
	cfg, err := config.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Journey.Month = 30 * 24 * time.Hour
	svc, err := starter.New(nil, st, cfg, []byte("api-test-key-0123456789abcdef0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	return st, cfg, svc
}

// do sends a request and returns the status, the content type and the body.
func (s *opsServer) do(method, path string, body any) (int, string, []byte) {
	s.t.Helper()
	resp, data := sendJSON(s.t, method, s.url+path, "", body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), data
}

// sendJSON sends body (if any) as JSON, with a bearer token when one is given, and returns the
// response (its body read and closed) and the body.
func sendJSON(t testing.TB, method, url, token string, body any) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

// getJSON fetches path, requires 200 and decodes the answer into out.
func (s *opsServer) getJSON(path string, out any) {
	s.t.Helper()
	code, _, data := s.do("GET", path, nil)
	if code != http.StatusOK {
		s.t.Fatalf("GET %s: HTTP %d: %s", path, code, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		s.t.Fatalf("GET %s: %v in %s", path, err, data)
	}
}

// getCSV fetches path, requires a 200 CSV download and parses it.
func (s *opsServer) getCSV(path string) [][]string {
	s.t.Helper()
	code, ctype, data := s.do("GET", path, nil)
	if code != http.StatusOK || !strings.HasPrefix(ctype, "text/csv") {
		s.t.Fatalf("GET %s: HTTP %d %s: %s", path, code, ctype, data)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		s.t.Fatalf("GET %s: not CSV: %v", path, err)
	}
	return rows
}

// wantStatus requires a status and an error body containing want.
func (s *opsServer) wantStatus(method, path string, body any, status int, want string) {
	s.t.Helper()
	code, _, data := s.do(method, path, body)
	var e api.ErrorBody
	_ = json.Unmarshal(data, &e)
	if code != status || !strings.Contains(e.Error, want) {
		s.t.Fatalf("%s %s: HTTP %d %q, want %d containing %q", method, path, code, e.Error, status, want)
	}
}

func (s *opsServer) put(cs ...store.Case) {
	s.t.Helper()
	for _, c := range cs {
		if err := s.store.UpsertCase(context.Background(), c); err != nil {
			s.t.Fatal(err)
		}
	}
}

var apiT0 = time.Now().Add(-10 * 24 * time.Hour).Truncate(time.Second)

func opsCase(id, centre, lsp string, stage vocab.Stage, waiting vocab.Party) store.Case {
	return store.Case{CaseID: id, WorkflowID: "journey/P/" + id, PackageCode: "P", CentreCode: centre, LSPCode: lsp,
		NIKHash: "h-" + id, Stage: stage, Status: store.StatusOpen, WaitingOn: waiting, Version: 1, StageEnteredAt: apiT0}
}

func stuck(c store.Case, code vocab.Reason, hours int) store.Case {
	since := apiT0.Add(time.Duration(hours) * time.Hour)
	c.Stuck, c.StuckCode, c.StuckReason, c.StuckSince = true, code, "because "+string(code), &since
	return c
}

func TestStuckEndpoint(t *testing.T) {
	s := newOpsServer(t)
	failing := stuck(opsCase("bpjs1", "BLK-SBY", "LSP-BLK-SBY", "insurance", vocab.WaitingBPJS), vocab.StuckPartnerFailing, 2)
	failing.Attempts, failing.LastError = 7, "bpjs: register: HTTP 503"
	s.put(failing,
		stuck(opsCase("enr1", "BLK-SBY", "LSP-BLK-SBY", "enrolment", vocab.WaitingCentreAdmin), vocab.StuckApprovalOverdue, 1),
		stuck(opsCase("cert1", "BLK-TBN", "LSP-LOGAM", "certification", vocab.WaitingLSPManager), vocab.StuckApprovalOverdue, 3),
		opsCase("fine1", "BLK-SBY", "LSP-BLK-SBY", "training", ""))
	// The escalation was written after the case got stuck: it shows.
	if err := s.store.MarkEscalated(context.Background(), "bpjs1", vocab.RoleInsurerLiaison, apiT0.Add(5*time.Hour)); err != nil {
		t.Fatal(err)
	}

	var all api.StuckList
	s.getJSON("/api/v1/stuck", &all)
	if all.Total != 3 || len(all.Cases) != 3 {
		t.Fatalf("total %d, %d cases", all.Total, len(all.Cases))
	}
	if ids := []string{all.Cases[0].CaseID, all.Cases[1].CaseID, all.Cases[2].CaseID}; !slices.Equal(ids, []string{"enr1", "bpjs1", "cert1"}) {
		t.Fatalf("order %v, want the longest stuck first", ids)
	}
	b := all.Cases[1]
	if b.Why != "because partner-failing: 7 failed attempts, last error bpjs: register: HTTP 503" || b.Attempts != 7 ||
		!b.Retryable || b.Unblock.Role != vocab.RoleInsurerLiaison || b.EscalatedTo != vocab.RoleInsurerLiaison ||
		b.AgeSeconds < int64(9*24*3600) || !b.StuckSince.Equal(apiT0.Add(2*time.Hour)) {
		t.Fatalf("failing case: %+v", b)
	}
	if c := all.Cases[2]; c.Unblock.Role != vocab.RoleLSPManager || c.Unblock.Scope != "LSP-LOGAM" || c.Retryable || c.EscalatedAt != nil {
		t.Fatalf("certification case: %+v", c)
	}

	for path, want := range map[string][]string{
		"/api/v1/stuck?centre=BLK-SBY":                     {"enr1", "bpjs1"},
		"/api/v1/stuck?lsp=LSP-LOGAM":                      {"cert1"},
		"/api/v1/stuck?stage=insurance":                    {"bpjs1"},
		"/api/v1/stuck?reason=approval-overdue":            {"enr1", "cert1"},
		"/api/v1/stuck?reason=approval-overdue&limit=1":    {"enr1"},
		"/api/v1/stuck?reason=approval-overdue&offset=1":   {"cert1"},
		"/api/v1/stuck?centre=BLK-TBN&reason=no-agreement": {},
	} {
		var l api.StuckList
		s.getJSON(path, &l)
		var got []string
		for _, c := range l.Cases {
			got = append(got, c.CaseID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", path, got, want)
		}
	}
	s.wantStatus("GET", "/api/v1/stuck?reason=bored", nil, http.StatusBadRequest, `query parameter "reason": value is not one of the allowed values`)
	s.wantStatus("GET", "/api/v1/stuck?stage=lunch", nil, http.StatusBadRequest, `query parameter "stage"`)
	s.wantStatus("GET", "/api/v1/stuck?limit=0", nil, http.StatusBadRequest, `query parameter "limit"`)
	s.wantStatus("GET", "/api/v1/stuck?format=pdf", nil, http.StatusBadRequest, `query parameter "format"`)

	rows := s.getCSV("/api/v1/stuck?format=csv")
	if len(rows) != 4 || rows[0][0] != "case_id" || rows[2][0] != "bpjs1" || rows[2][9] != "7" || rows[2][11] != string(vocab.RoleInsurerLiaison) {
		t.Fatalf("CSV %v", rows)
	}
}

func TestStuckReasonsCoverEveryCode(t *testing.T) {
	s := newOpsServer(t)
	var rs []api.StuckReason
	s.getJSON("/api/v1/stuck/reasons", &rs)
	var codes []vocab.Reason
	for _, r := range rs {
		if r.Label == "" || r.LabelID == "" {
			t.Errorf("%s has no label in both languages", r.Code)
		}
		codes = append(codes, r.Code)
	}
	if !slices.Equal(codes, vocab.Reasons) {
		t.Fatalf("reasons %v, want %v", codes, vocab.Reasons)
	}
}

func TestOverviewEndpoint(t *testing.T) {
	s := newOpsServer(t)
	month := s.cfg.Journey.Month
	grad := time.Now().Add(-13 * month)
	placed := grad.Add(2 * month)
	a := opsCase("a", "BLK-SBY", "LSP-BLK-SBY", "closed", "")
	a.Status = store.StatusClosed
	a.Milestones = store.Milestones{Enrolled: true, Insured: true, Graduated: true, Assessed: true, Competent: true, Certified: true,
		GraduatedOn: &grad, PlacementCategory: "formal", PlacedOn: &placed}
	b := opsCase("b", "BLK-SBY", "LSP-BLK-SBY", "closed", "")
	b.Status = store.StatusClosed
	b.Milestones = store.Milestones{Enrolled: true, Insured: true, Graduated: true, GraduatedOn: &grad}
	c := stuck(opsCase("c", "BLK-SBY", "LSP-BLK-SBY", "enrolment", vocab.WaitingCentreAdmin), vocab.StuckApprovalOverdue, 0)
	x := opsCase("x", "BLK-UNKNOWN", "LSP-BLK-SBY", "enrolment", "")
	s.put(a, b, c, x)

	var o api.Overview
	s.getJSON("/api/v1/overview", &o)
	centres, err := s.store.ListCentres(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Every registry centre, even without cases, plus the unknown one.
	if len(o.Centres) != len(centres)+1 || o.MonthSeconds != int64(month/time.Second) {
		t.Fatalf("%d centres (registry %d), month %d", len(o.Centres), len(centres), o.MonthSeconds)
	}
	var sby *api.CentreFunnel
	for i := range o.Centres {
		if o.Centres[i].CentreCode == "BLK-SBY" {
			sby = &o.Centres[i]
		}
	}
	if sby == nil || sby.Name == "" || sby.Cases != 3 || sby.Enrolled != 2 || sby.Trained != 2 || sby.Certified != 1 ||
		sby.Placed != 1 || sby.Stuck != 1 || sby.Open != 1 || sby.Rate6.Graduates != 2 || sby.Rate6.Placed != 1 || *sby.Rate12.Rate != 0.5 {
		t.Fatalf("BLK-SBY %+v", sby)
	}
	if o.Total.Cases != 4 || o.Total.Stuck != 1 || o.Total.Placed != 1 {
		t.Fatalf("total %+v", o.Total)
	}
	rows := s.getCSV("/api/v1/overview?format=csv")
	last := rows[len(rows)-1]
	if len(rows) != len(centres)+3 || last[0] != "TOTAL" || last[2] != "4" || last[14] != "0.500" {
		t.Fatalf("CSV total row %v of %d rows", last, len(rows))
	}

	// One count serves for OverviewTTL; fresh=true counts anew.
	s.put(opsCase("y", "BLK-SBY", "LSP-BLK-SBY", "enrolment", ""))
	var cached, fresh api.Overview
	s.getJSON("/api/v1/overview", &cached)
	if cached.Total.Cases != 4 || !cached.GeneratedAt.Equal(o.GeneratedAt) {
		t.Fatalf("cached overview: %d cases, counted %s (first %s)", cached.Total.Cases, cached.GeneratedAt, o.GeneratedAt)
	}
	s.getJSON("/api/v1/overview?fresh=true", &fresh)
	if fresh.Total.Cases != 5 || !fresh.GeneratedAt.After(o.GeneratedAt) {
		t.Fatalf("fresh overview: %d cases", fresh.Total.Cases)
	}
}

func TestInboxEndpoint(t *testing.T) {
	s := newOpsServer(t)
	older := opsCase("e1", "BLK-SBY", "LSP-BLK-SBY", "enrolment", vocab.WaitingCentreAdmin)
	older.StageEnteredAt = apiT0.Add(-time.Hour)
	s.put(older,
		stuck(opsCase("e2", "BLK-TBN", "LSP-LOGAM", "enrolment", vocab.WaitingCentreAdmin), vocab.StuckApprovalOverdue, 1),
		opsCase("c1", "BLK-SBY", "LSP-LOGAM", "certification", vocab.WaitingLSPManager),
		opsCase("k1", "BLK-SBY", "LSP-BLK-SBY", "insurance", vocab.WaitingCorrection),
		opsCase("p1", "BLK-SBY", "LSP-BLK-SBY", "placement", vocab.WaitingCentreAdmin), // follow-up: no decision owed
		opsCase("b1", "BLK-SBY", "LSP-BLK-SBY", "insurance", vocab.WaitingBPJS),        // waits on a partner
		// The LSP refused: the same party and stage as a decision, in a group of their own.
		stuck(opsCase("r1", "BLK-SBY", "LSP-LOGAM", "certification", vocab.WaitingLSPManager), vocab.StuckCertificateRefused, 1),
		stuck(opsCase("a1", "BLK-SBY", "LSP-LOGAM", "assessment", vocab.WaitingLSPManager), vocab.StuckAssessmentRefused, 1))
	var in api.Inbox
	s.getJSON("/api/v1/inbox", &in)
	got := map[string][]string{}
	for _, g := range in.Groups {
		for _, c := range g.Cases {
			got[g.Kind] = append(got[g.Kind], c.CaseID)
		}
		if g.Total != len(g.Cases) || g.Label == "" || g.LabelID == "" || g.Action == "" {
			t.Errorf("group %+v", g)
		}
	}
	want := map[string][]string{"enrolment-approval": {"e1", "e2"}, "certification-approval": {"c1"}, "correction": {"k1"},
		"certificate-refused": {"r1"}, "assessment-refused": {"a1"}}
	if len(got) != len(want) {
		t.Fatalf("inbox %v, want %v", got, want)
	}
	for k, ids := range want {
		if !slices.Equal(got[k], ids) {
			t.Errorf("%s: %v, want %v", k, got[k], ids)
		}
	}
	if e2 := in.Groups[0].Cases[1]; !e2.Overdue || e2.Why == "" {
		t.Errorf("overdue approval not flagged: %+v", e2)
	}

	var mgr api.Inbox
	s.getJSON("/api/v1/inbox?role=lsp-manager", &mgr)
	if len(mgr.Groups) != 3 || mgr.Groups[0].Kind != "certification-approval" || mgr.Groups[0].Role != vocab.RoleLSPManager {
		t.Fatalf("manager's inbox %+v", mgr.Groups)
	}
	for _, g := range mgr.Groups[1:] {
		if g.Action != "retry-refused" || g.Total != 1 || !g.Cases[0].Overdue || g.Cases[0].Why == "" {
			t.Errorf("refusal group %+v: want the case with the LSP's words and the retry action", g)
		}
	}
	var tbn api.Inbox
	s.getJSON("/api/v1/inbox?role=centre-admin&centre=BLK-TBN&limit=5", &tbn)
	if len(tbn.Groups) != 3 || tbn.Groups[0].Total != 1 || tbn.Groups[0].Cases[0].CaseID != "e2" || tbn.Groups[1].Total != 0 || tbn.Groups[2].Total != 0 {
		t.Fatalf("BLK-TBN inbox %+v", tbn.Groups)
	}
	s.wantStatus("GET", "/api/v1/inbox?role=assessor", nil, http.StatusBadRequest, `query parameter "role": value is not one of the allowed values`)
	rows := s.getCSV("/api/v1/inbox?format=csv")
	if len(rows) != 7 || rows[1][0] != "enrolment-approval" || rows[1][2] != "e1" {
		t.Fatalf("CSV %v", rows)
	}
}

func TestTracerStudyEndpoint(t *testing.T) {
	s := newOpsServer(t)
	ctx := context.Background()
	now := time.Now()
	if err := s.store.CreatePackage(ctx, store.Package{Code: "P", CentreCode: "BLK-SBY", Trade: "Las", Scheme: "S", LSPCode: "LSP-BLK-SBY",
		StartDate: now.AddDate(0, -3, 0), EndDate: now.AddDate(0, -2, 0), Capacity: 16, AttendanceMin: 0.8}); err != nil {
		t.Fatal(err)
	}
	g := func(id string, category vocab.Placement) store.Case {
		c := opsCase(id, "BLK-SBY", "LSP-BLK-SBY", "closed", "")
		c.Status = store.StatusClosed
		c.Milestones = store.Milestones{Enrolled: true, Insured: true, Graduated: true, PlacementCategory: category}
		return c
	}
	s.put(g("a", "formal"), g("b", "self-employed"), g("c", ""))
	var ts api.TracerStudy
	s.getJSON("/api/v1/reports/tracer-study", &ts)
	if len(ts.Rows) != 1 || ts.Rows[0].Trade != "Las" || ts.Rows[0].Graduates != 3 || ts.Rows[0].Placed() != 2 {
		t.Fatalf("rows %+v", ts.Rows)
	}
	rows := s.getCSV("/api/v1/reports/tracer-study?format=csv")
	if len(rows) != 2 || rows[1][3] != "3" || rows[1][10] != "2" {
		t.Fatalf("CSV %v", rows)
	}
	code, ctype, data := s.do("GET", "/api/v1/reports/tracer-study?format=xlsx", nil)
	if code != http.StatusOK || !strings.Contains(ctype, "spreadsheetml") {
		t.Fatalf("xlsx: HTTP %d %s", code, ctype)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("BLK x Kejuruan", "D2"); v != "3" {
		t.Fatalf("graduates cell %q", v)
	}
}

func TestCaseListAndTimelineCSV(t *testing.T) {
	s := newOpsServer(t)
	s.put(opsCase("aaaaaaaaaa", "BLK-SBY", "LSP-BLK-SBY", "training", ""), stuck(opsCase("b", "BLK-SBY", "LSP-BLK-SBY", "insurance", "bpjs"), vocab.StuckPartnerFailing, 0))
	if err := s.store.AppendEvent(context.Background(), store.Event{CaseID: "aaaaaaaaaa", Key: "1", Kind: "started", Detail: "case opened, with a comma", At: apiT0}); err != nil {
		t.Fatal(err)
	}
	rows := s.getCSV("/api/v1/cases?format=csv&stuck=true")
	if len(rows) != 2 || rows[1][0] != "b" || rows[1][8] != "true" {
		t.Fatalf("cases CSV %v", rows)
	}
	ev := s.getCSV("/api/v1/cases/aaaaaaaaaa/events?format=csv")
	if len(ev) != 2 || ev[1][2] != "started" || ev[1][5] != "case opened, with a comma" {
		t.Fatalf("events CSV %v", ev)
	}
}

// Retry and escalate refuse what no workflow should be asked: nobody asking, an unknown case, a
// case that is not stuck. With a token, an actor in the body is ignored (identityActor).
func TestRetryAndEscalateRefusals(t *testing.T) {
	anon := newOpsServer(t)
	s := newOpsServerAs(t, auth.Identity{Name: "rina", Role: vocab.RoleOperator})
	for _, srv := range []*opsServer{anon, s} {
		srv.put(opsCase("finecase22", "BLK-SBY", "LSP-BLK-SBY", "training", ""))
	}
	for _, action := range []string{"retry", "escalate"} {
		anon.wantStatus("POST", "/api/v1/cases/finecase22/"+action, map[string]any{}, http.StatusUnprocessableEntity, "actor.id is required")
		s.wantStatus("POST", "/api/v1/cases/nopenope22/"+action, map[string]any{}, http.StatusNotFound, "not found")
		s.wantStatus("POST", "/api/v1/cases/finecase22/"+action, map[string]any{"bogus": 1}, http.StatusBadRequest, "unknown field")
	}
	s.wantStatus("POST", "/api/v1/cases/finecase22/escalate", map[string]any{}, http.StatusConflict, "is not stuck")
	s.wantStatus("POST", "/api/v1/cases/finecase22/escalate", map[string]any{"note": strings.Repeat("x", 501)}, http.StatusUnprocessableEntity, "at most 500")
}

// A case stuck on an LSP's refusal shows the LSP's words once, is not "retry now" material (its
// one refused call is not failing), and names the LSP certification manager.
func TestStuckRefusalIsAPersonsDecision(t *testing.T) {
	s := newOpsServer(t)
	refused := stuck(opsCase("ref1", "BLK-SBY", "LSP-LOGAM", "certification", vocab.WaitingLSPManager), vocab.StuckCertificateRefused, 1)
	refused.Attempts, refused.LastError = 1, "data error not_competent: unit X is BK: no certificate"
	s.put(refused)
	var all api.StuckList
	s.getJSON("/api/v1/stuck?reason=certificate-refused", &all)
	if len(all.Cases) != 1 {
		t.Fatalf("stuck %+v", all)
	}
	c := all.Cases[0]
	if c.Retryable || !c.Refusal || c.Why != "because certificate-refused" || c.Unblock.Role != vocab.RoleLSPManager || c.Unblock.Scope != "LSP-LOGAM" {
		t.Fatalf("refused case: %+v", c)
	}
}
