package integration

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// newToken creates an API token in the system's store and returns it.
func (s *system) newToken(name string, role vocab.Role, scopes ...string) string {
	s.t.Helper()
	token, hash, err := auth.NewToken()
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.store.CreateToken(context.Background(), name, role, scopes, hash); err != nil {
		s.t.Fatal(err)
	}
	return token
}

// as returns a copy of the system whose calls carry token.
func (s *system) as(token string) *system {
	cp := *s
	cp.token = token
	return &cp
}

// Through the API, a centre admin reads and acts on only the cases of their centres, a viewer
// acts on none, and the actor of a step is the token's identity whatever the body claims. Each
// refusal is a 4xx with the reason (a case out of scope: not found) and leaves the case as it was.
func TestAPIEnforcesRoleAndScope(t *testing.T) {
	sys := startSystemWith(t, fastConfig(t), systemOptions{Auth: true})
	c := enrolOne(t, sys, "IT-AUTH-2", "BLK-SBY")
	path := "/api/v1/cases/" + c.CaseID + "/enrolment"
	approve := workflows.EnrolmentDecision{Actor: workflows.Actor{ID: "mallory", Role: vocab.RoleCoordinator}, Approve: true}

	var e api.ErrorBody
	if code := sys.as("").call("GET", "/api/v1/cases", nil, &e); code != http.StatusUnauthorized {
		t.Fatalf("no token: HTTP %d, want 401", code)
	}
	if code := sys.as("kpt_not-a-token").call("POST", path, approve, &e); code != http.StatusUnauthorized {
		t.Fatalf("unknown token: HTTP %d, want 401", code)
	}
	// An admin of another centre may not see the case, so a step on it is answered like a step
	// on a case that does not exist: 404, without its centre.
	other := sys.newToken("ani", vocab.RoleCentreAdmin, "BLK-PAS")
	e = api.ErrorBody{}
	if code := sys.as(other).call("POST", path, approve, &e); code != http.StatusNotFound ||
		e.Error != "case "+c.CaseID+" not found" || strings.Contains(e.Error, "BLK-SBY") {
		t.Fatalf("admin of another centre: HTTP %d %q, want 404 like a missing case", code, e.Error)
	}
	// Nor read it, in a list, by ID or by the person's NIK.
	var listed []store.Case
	if code := sys.as(other).call("GET", "/api/v1/cases", nil, &listed); code != http.StatusOK || len(listed) != 0 {
		t.Fatalf("admin of another centre lists HTTP %d %+v, want no case", code, listed)
	}
	e = api.ErrorBody{}
	if code := sys.as(other).call("GET", "/api/v1/cases/"+c.CaseID, nil, &e); code != http.StatusNotFound {
		t.Fatalf("admin of another centre reads the case: HTTP %d %q, want 404", code, e.Error)
	}
	e = api.ErrorBody{}
	if code := sys.as(other).call("GET", "/api/v1/cases?centre=BLK-SBY", nil, &e); code != http.StatusForbidden || !strings.Contains(e.Error, "BLK-PAS") {
		t.Fatalf("admin of another centre filtering on BLK-SBY: HTTP %d %q, want 403 naming the scope", code, e.Error)
	}
	// Nor enrol people into another centre's package, nor create a package there.
	e = api.ErrorBody{}
	if code := sys.as(other).call("POST", "/api/v1/packages/IT-AUTH-2/enrolments", api.EnrolRequest{}, &e); code != http.StatusForbidden || !strings.Contains(e.Error, "BLK-SBY") {
		t.Fatalf("enrolment into another centre's package: HTTP %d %q, want 403", code, e.Error)
	}
	if code := sys.as(other).call("POST", "/api/v1/packages", api.PackageRequest{Code: "IT-AUTH-X", Centre: "BLK-SBY"}, &e); code != http.StatusForbidden {
		t.Fatalf("package at another centre: HTTP %d, want 403", code)
	}
	viewer := sys.newToken("vera", vocab.RoleViewer)
	if code := sys.as(viewer).call("POST", path, approve, &e); code != http.StatusForbidden {
		t.Fatalf("viewer: HTTP %d, want 403", code)
	}
	// The doctor's report covers the whole network: a scoped role and a viewer may not run it.
	for who, tok := range map[string]string{"a centre admin": other, "a viewer": viewer} {
		if code := sys.as(tok).call("POST", "/api/v1/doctor", api.DoctorRequest{}, &e); code != http.StatusForbidden {
			t.Fatalf("doctor as %s: HTTP %d, want 403", who, code)
		}
	}
	lsp := sys.newToken("budi", vocab.RoleLSPManager, "LSP-BLK-SBY")
	e = api.ErrorBody{}
	if code := sys.as(lsp).call("POST", path, approve, &e); code != http.StatusForbidden || !strings.Contains(e.Error, "decide-enrolment") {
		t.Fatalf("lsp manager deciding an enrolment: HTTP %d %q, want 403", code, e.Error)
	}
	if code := sys.call("GET", "/api/v1/cases/NOT-A-CASE", nil, &e); code != http.StatusBadRequest {
		t.Fatalf("invalid case id: HTTP %d, want 400", code)
	}
	// A step of another stage is the journey's refusal: 422 with its reason.
	e = api.ErrorBody{}
	place := workflows.PlacementReport{Category: vocab.PlacementInformal, Start: time.Now()}
	if code := sys.call("POST", "/api/v1/cases/"+c.CaseID+"/placement", place, &e); code != http.StatusUnprocessableEntity || !strings.Contains(e.Error, "stage enrolment") {
		t.Fatalf("placement during enrolment: HTTP %d %q, want 422 naming the stage", code, e.Error)
	}
	st, err := sys.svc.State(context.Background(), c.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Enrolment.Decision != nil {
		t.Fatalf("a refused request decided the enrolment: %+v", st.Enrolment.Decision)
	}

	// The admin of the case's centre is accepted; the log names the token's identity, not the
	// coordinator the body claimed.
	siti := sys.newToken("siti", vocab.RoleCentreAdmin, "BLK-SBY", "BLK-PAS")
	var view api.CaseView
	if code := sys.as(siti).call("GET", "/api/v1/cases/"+c.CaseID, nil, &view); code != http.StatusOK || view.Case.CaseID != c.CaseID || view.State == nil {
		t.Fatalf("admin of the centre reads the case: HTTP %d %+v", code, view)
	}
	if code := sys.as(siti).call("POST", path, approve, &e); code != http.StatusOK {
		t.Fatalf("admin of the centre: HTTP %d %q", code, e.Error)
	}
	ev := sys.eventSeen(c.CaseID, "enrolment-approved", 10*time.Second)
	if ev.ActorID != "siti" || ev.ActorRole != vocab.RoleCentreAdmin {
		t.Fatalf("approval logged as %s (%s), want siti (centre-admin)", ev.ActorID, ev.ActorRole)
	}
}
