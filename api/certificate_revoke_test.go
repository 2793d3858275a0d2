package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/selfreport"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// An LSP manager revokes a certificate of its own LSP with a reason: the timeline records
// certificate-revoked with the reason and who, and the public check then says revoked. A second
// revocation is 409 with the date, a case without a certificate 422, no reason 422, a case of
// another LSP 404 (like a missing one), and a role outside the policy 403; none of them writes.
func TestRevokeCertificate(t *testing.T) {
	manager := auth.Identity{Name: "lina", Role: vocab.RoleLSPManager, Scopes: []string{"LSP-A"}}
	s := newOpsServerAs(t, manager)
	issued := time.Now().AddDate(0, -1, 0).Truncate(24 * time.Hour)
	expires := issued.AddDate(3, 0, 0)
	certified := opsCase("rvkaaaaaa2", "BLK-SBY", "LSP-A", vocab.StageClosed, "")
	certified.CertificateNo, certified.CertificateIssuedOn, certified.CertificateExpiresOn = "RVK/LSP-A/2026/001", &issued, &expires
	other := opsCase("rvkaaaaaa3", "BLK-SBY", "LSP-B", vocab.StageClosed, "")
	other.CertificateNo = "RVK/LSP-B/2026/002"
	none := opsCase("rvkaaaaaa4", "BLK-SBY", "LSP-A", vocab.StageAssessment, vocab.WaitingLSP)
	s.put(certified, other, none)
	path := func(id string) string { return "/api/v1/cases/" + id + "/certificate/revoke" }

	// The public check before: valid.
	v := &selfreport.Verifier{Store: s.store, Limiter: selfreport.NewLimiter(100, time.Minute)}
	mux := http.NewServeMux()
	v.Register(mux)
	check := func() string {
		t.Helper()
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", "/verifikasi/RVK/LSP-A/2026/001?format=json", nil))
		return rec.Body.String()
	}
	if body := check(); !strings.Contains(body, `"status":"valid"`) {
		t.Fatalf("before revoking, the check says %s", body)
	}

	s.wantStatus("POST", path(certified.CaseID), api.RevokeCertificateRequest{Reason: "  "}, http.StatusUnprocessableEntity, "reason: required")
	s.wantStatus("POST", path(none.CaseID), api.RevokeCertificateRequest{Reason: "x"}, http.StatusUnprocessableEntity, "holds no certificate")
	s.wantStatus("POST", path(other.CaseID), api.RevokeCertificateRequest{Reason: "x"}, http.StatusNotFound, "not found")
	s.wantStatus("POST", path("rvkaaaaaa7"), api.RevokeCertificateRequest{Reason: "x"}, http.StatusNotFound, "not found")
	newOpsServerAs(t, auth.Identity{Name: "rina", Role: vocab.RoleOperator}).wantStatus("POST", path(certified.CaseID),
		api.RevokeCertificateRequest{Reason: "x"}, http.StatusForbidden, "role operator may not revoke-certificate")
	if body := check(); !strings.Contains(body, `"status":"valid"`) {
		t.Fatalf("a refused revocation changed the check: %s", body)
	}

	const reason = "issued on a falsified assessment record"
	code, _, data := s.do("POST", path(certified.CaseID), api.RevokeCertificateRequest{Reason: reason})
	if code != http.StatusOK {
		t.Fatalf("revoke: HTTP %d %s", code, data)
	}
	var res api.RevokeCertificateResponse
	mustJSON(t, data, &res)
	if res.CertificateNo != certified.CertificateNo || res.Reason != reason || res.RevokedAt.IsZero() {
		t.Errorf("answer %+v", res)
	}
	if body := check(); !strings.Contains(body, `"status":"revoked"`) {
		t.Errorf("after revoking, the check says %s", body)
	}

	events, err := s.store.CaseEvents(t.Context(), certified.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	var found int
	for _, e := range events {
		if e.Kind == api.EventCertificateRevoked {
			found++
			if e.ActorID != "lina" || e.ActorRole != vocab.RoleLSPManager || !strings.HasSuffix(e.Detail, "reason: "+reason) ||
				!strings.Contains(e.Detail, certified.CertificateNo) {
				t.Errorf("timeline entry %+v", e)
			}
		}
	}
	if found != 1 {
		t.Errorf("%d certificate-revoked entries, want 1: %+v", found, events)
	}

	// Again: 409 with the first revocation's date, and no second entry.
	s.wantStatus("POST", path(certified.CaseID), api.RevokeCertificateRequest{Reason: "again"}, http.StatusConflict,
		"already revoked on "+res.RevokedAt.UTC().Format("2006-01-02"))
	events, _ = s.store.CaseEvents(t.Context(), certified.CaseID)
	var all []string
	for _, e := range events {
		all = append(all, e.Kind)
	}
	if n := strings.Count(strings.Join(all, " "), api.EventCertificateRevoked); n != 1 {
		t.Errorf("after a second revocation the timeline holds %d entries: %v", n, all)
	}
}

// With tokens, the request check refuses the roles outside the policy before the handler
// (actionOf maps the path onto revoke-certificate, not onto a case step).
func TestRevokeCertificateRequestCheck(t *testing.T) {
	roles := map[string]vocab.Role{"kpt_viewer": vocab.RoleViewer, "kpt_admin": vocab.RoleCentreAdmin, "kpt_coord": vocab.RoleCoordinator}
	st, _, svc := newStoreService(t)
	s := &api.Server{Svc: svc, Store: st, Tokens: func(_ context.Context, hash []byte) (auth.Identity, error) {
		for tok, role := range roles {
			if string(hash) == string(auth.HashToken(tok)) {
				return auth.Identity{Name: "x", Role: role}, nil
			}
		}
		return auth.Identity{}, store.ErrNotFound
	}}
	h := s.Handler()
	post := func(token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/cases/rvkaaaaaa2/certificate/revoke", strings.NewReader(`{"reason":"x"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for _, tok := range []string{"kpt_viewer", "kpt_admin"} {
		if rec := post(tok); rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "may not revoke-certificate") {
			t.Errorf("%s: HTTP %d %s", roles[tok], rec.Code, rec.Body)
		}
	}
	// The coordinator passes the request check and the handler answers: no such case.
	if rec := post("kpt_coord"); rec.Code != http.StatusNotFound {
		t.Errorf("coordinator: HTTP %d %s", rec.Code, rec.Body)
	}
}
