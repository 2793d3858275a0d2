package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// A step on a closed case is refused as closed, with its outcome and what there is no longer
// to do, before any workflow is asked: not "case not found".
func TestStepOnClosedCaseSaysItIsClosed(t *testing.T) {
	s := newOpsServer(t)
	c := opsCase("vzv3xwdx2q", "BLK-SBY", "LSP-BLK-SBY", vocab.StageClosed, "")
	c.Status, c.Outcome = store.StatusClosed, vocab.OutcomePlacedFormal
	s.put(c)
	admin := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}
	s.wantStatus("POST", "/api/v1/cases/vzv3xwdx2q/enrolment", workflows.EnrolmentDecision{Actor: admin, Approve: true},
		http.StatusConflict, "case vzv3xwdx2q is closed (placed-formal): nothing to approve")
	s.wantStatus("POST", "/api/v1/cases/vzv3xwdx2q/withdrawal", workflows.Withdrawal{Actor: admin, Reason: "moved"},
		http.StatusConflict, "case vzv3xwdx2q is closed (placed-formal): nothing to withdraw")
	s.wantStatus("POST", "/api/v1/cases/aaaaaaaaaa/enrolment", workflows.EnrolmentDecision{Actor: admin, Approve: true},
		http.StatusNotFound, "case not found: aaaaaaaaaa")
}

// Terminating an agreement that live cases depend on is refused with their count and the first
// of them; the refusal comes before the agreement's workflow is asked, so nothing changes.
func TestTerminateWithDependentCasesNeedsForce(t *testing.T) {
	s := newOpsServer(t)
	number := store.SeedMoUNumber("BPVP-SDA", "BPJSTK-JATIM", time.Date(2023, 1, 19, 0, 0, 0, 0, time.UTC))
	for _, id := range []string{"aaaaaaaaa2", "aaaaaaaaa3", "aaaaaaaaa4", "aaaaaaaaa5", "aaaaaaaaa6", "aaaaaaaaa7"} {
		s.put(opsCase(id, "BLK-SBY", "LSP-BLK-SBY", vocab.StageTraining, ""))
	}
	closed := opsCase("aaaaaaaaa8", "BLK-SBY", "LSP-BLK-SBY", vocab.StageClosed, "")
	closed.Status, closed.Outcome = store.StatusClosed, vocab.OutcomeWithdrawn
	s.put(closed)
	coordinator := workflows.Actor{ID: "kepala", Role: vocab.RoleCoordinator}
	path := "/api/v1/mous/" + url.PathEscape(number) + "/terminate"
	s.wantStatus("POST", path, api.MoUTerminateRequest{Actor: coordinator, Reason: "licence suspended"},
		http.StatusConflict, "agreement "+number+" has 6 live case(s) depending on it: aaaaaaaaa2 (BLK-SBY, training)")
	s.wantStatus("POST", path, api.MoUTerminateRequest{Actor: coordinator, Reason: "licence suspended"},
		http.StatusConflict, "and 1 more; terminating it leaves them waiting for an agreement — terminate with force")
	a, err := s.store.GetAgreement(t.Context(), number)
	if err != nil || !a.Live() {
		t.Fatalf("agreement after the refusal: %+v, %v; want it still live", a, err)
	}
}

// A case whose registration waits in the BPJS batch exchange is not retried: the answer says it
// waits for the file, who sends it and how, and when its registration last went out. The file
// leaves out a trainee who withdrew, and each file taken is listed with who took it.
func TestBatchWaitIsNotRetriedAndFilesAreRecorded(t *testing.T) {
	s := newOpsServerAs(t, auth.Identity{Name: "rina", Role: vocab.RoleOperator})
	ctx := t.Context()
	waiting := opsCase("bbbbbbbbb2", "BLK-SBY", "LSP-BLK-SBY", vocab.StageInsurance, vocab.WaitingBatchFile)
	oldRev := opsCase("bbbbbbbbb3", "BLK-SBY", "LSP-BLK-SBY", vocab.StageInsurance, vocab.WaitingBPJS) // a revision-1 journey
	gone := opsCase("bbbbbbbbb4", "BLK-SBY", "LSP-BLK-SBY", vocab.StageClosed, "")
	gone.Status, gone.Outcome = store.StatusClosed, vocab.OutcomeWithdrawn
	s.put(waiting, oldRev, gone)
	for _, c := range []store.Case{waiting, oldRev, gone} {
		if err := s.store.EnqueueBatch(ctx, store.BatchRegistration{CaseID: c.CaseID, WorkflowID: c.WorkflowID, Payload: []byte(`{"nik":"3515140101900001","name":"x"}`)}); err != nil {
			t.Fatal(err)
		}
	}
	s.wantStatus("POST", "/api/v1/cases/bbbbbbbbb2/retry", api.RetryRequest{}, http.StatusConflict,
		"nothing to retry: case bbbbbbbbb2 calls nobody, it waits for the BPJS batch file — the BPJS liaison should send the pending registrations to the BPJS branch office (kompeten insurance export) and import the KPJ file it returns (kompeten insurance import); its registration has not gone out in a file yet")

	code, _, data := s.do("GET", "/api/v1/insurance/batch/export", nil)
	if code != http.StatusOK {
		t.Fatalf("export: HTTP %d %s", code, data)
	}
	var exports []store.BatchExport
	s.getJSON("/api/v1/insurance/batch/exports", &exports)
	if len(exports) != 1 || exports[0].Rows != 2 || !slices.Equal(exports[0].CaseIDs, []string{"bbbbbbbbb2", "bbbbbbbbb3"}) {
		t.Fatalf("exports = %+v, want one file with the two open cases (the withdrawn one left out)", exports)
	}
	s.wantStatus("POST", "/api/v1/cases/bbbbbbbbb3/retry", api.RetryRequest{}, http.StatusConflict,
		fmt.Sprintf("waits for the BPJS batch file — the BPJS liaison should send the pending registrations to the BPJS branch office (kompeten insurance export) and import the KPJ file it returns (kompeten insurance import); its registration last went out in file %d, taken by ", exports[0].ID))
}

// A day's register is checked before anything is stored or sent: a training day not in the
// future, cases of the package in training, each listed once, nobody in training left off.
func TestAttendanceRegisterIsChecked(t *testing.T) {
	s := newOpsServer(t)
	ctx := t.Context()
	loc, err := time.LoadLocation(s.cfg.Journey.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	pkg := store.Package{Code: "P", CentreCode: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSPCode: "LSP-BLK-SBY",
		StartDate: today.AddDate(0, 0, -3), EndDate: today.AddDate(0, 0, 3).Add(-time.Second), Hours: 40, Capacity: 16, AttendanceMin: 0.8}
	if err := s.store.CreatePackage(ctx, pkg); err != nil {
		t.Fatal(err)
	}
	a := opsCase("ccccccccc2", "BLK-SBY", "LSP-BLK-SBY", vocab.StageTraining, "")
	b := opsCase("ccccccccc3", "BLK-SBY", "LSP-BLK-SBY", vocab.StageTraining, "")
	late := opsCase("ccccccccc4", "BLK-SBY", "LSP-BLK-SBY", vocab.StageInsurance, vocab.WaitingBPJS)
	gone := opsCase("ccccccccc5", "BLK-SBY", "LSP-BLK-SBY", vocab.StageClosed, "")
	gone.Status, gone.Outcome = store.StatusClosed, vocab.OutcomeDroppedOut
	other := opsCase("ccccccccc6", "BLK-SBY", "LSP-BLK-SBY", vocab.StageTraining, "")
	other.PackageCode = "Q"
	s.put(a, b, late, gone, other)
	admin := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	put := func(d string, present, absent []string, status int, want string) {
		t.Helper()
		s.wantStatus("PUT", "/api/v1/packages/P/attendance/"+d, api.AttendanceRegisterRequest{Present: present, Absent: absent, Actor: admin}, status, want)
	}
	both := []string{"ccccccccc2"}
	put(day(-4), both, []string{"ccccccccc3"}, http.StatusUnprocessableEntity, day(-4)+" is not a training day of package P ("+day(-3)+" to "+day(2)+")")
	put(day(1), both, []string{"ccccccccc3"}, http.StatusUnprocessableEntity, day(1)+" is in the future")
	put(day(0), both, nil, http.StatusUnprocessableEntity, "not listed: ccccccccc3 — list every trainee in training once")
	put(day(0), []string{"ccccccccc2", "ccccccccc3"}, []string{"ccccccccc2"}, http.StatusUnprocessableEntity, "case ccccccccc2 is listed more than once")
	put(day(0), []string{"ccccccccc2", "ccccccccc3", "ccccccccc4"}, nil, http.StatusUnprocessableEntity, "case ccccccccc4 is in stage insurance, not in training")
	put(day(0), []string{"ccccccccc2", "ccccccccc3", "ccccccccc5"}, nil, http.StatusUnprocessableEntity, "case ccccccccc5 is closed (dropped-out), not in training")
	put(day(0), []string{"ccccccccc2", "ccccccccc3", "ccccccccc6"}, nil, http.StatusUnprocessableEntity, "case ccccccccc6 is not in package P")
	put("someday", both, nil, http.StatusBadRequest, `date: "someday" is not a date`)
	s.wantStatus("PUT", "/api/v1/packages/NOPE/attendance/"+day(0), api.AttendanceRegisterRequest{Present: both, Actor: admin}, http.StatusNotFound, "NOPE")

	// Nothing was stored: the register shows every day so far missing and whom to list.
	var o starter.RegisterOverview
	s.getJSON("/api/v1/packages/P/attendance", &o)
	if o.Recorded != 0 || o.Missing != 4 || len(o.Days) != 4 || o.MissingOn[0] != day(-3) || o.LastDay != day(2) ||
		!slices.Equal(o.InTraining, []string{"ccccccccc2", "ccccccccc3"}) {
		t.Fatalf("overview = %+v", o)
	}
	var d starter.RegisterDayView
	s.getJSON("/api/v1/packages/P/attendance/"+day(-1), &d)
	if d.Recorded || len(d.Marks) != 0 || d.Date != day(-1) || len(d.InTraining) != 2 {
		t.Fatalf("day view = %+v", d)
	}
}

// The register is a centre admin's of the package's centre, or a coordinator's; reading it is
// scoped like the cases it lists; the BPJS batch file log is refused to the scoped roles.
func TestRegisterAndBatchLogRoles(t *testing.T) {
	s := newScopedServer(t)
	now := time.Now()
	for _, p := range []store.Package{
		{Code: "P-TBN", CentreCode: "BLK-TBN", Trade: "Las", Scheme: "SKM-LAS", LSPCode: "LSP-BLK-SBY", StartDate: now.Add(-48 * time.Hour), EndDate: now.Add(48 * time.Hour), Hours: 40, Capacity: 16, AttendanceMin: 0.8},
		{Code: "P-SBY", CentreCode: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSPCode: "LSP-BLK-SBY", StartDate: now.Add(-48 * time.Hour), EndDate: now.Add(48 * time.Hour), Hours: 40, Capacity: 16, AttendanceMin: 0.8},
	} {
		if err := s.st.CreatePackage(t.Context(), p); err != nil {
			t.Fatal(err)
		}
	}
	body := api.AttendanceRegisterRequest{Present: []string{"sbyaaaaaaa"}}
	s.refused("ani", "PUT", "/api/v1/packages/P-TBN/attendance/today", body, http.StatusForbidden, "centre-admin ani is scoped to BLK-SBY; package P-TBN is at centre BLK-TBN")
	s.refused("ani", "GET", "/api/v1/packages/P-TBN/attendance", nil, http.StatusForbidden, "package P-TBN is at centre BLK-TBN")
	s.refused("vera", "PUT", "/api/v1/packages/P-SBY/attendance/today", body, http.StatusForbidden, "role viewer may not")
	s.refused("budi", "PUT", "/api/v1/packages/P-SBY/attendance/today", body, http.StatusForbidden, "role lsp-manager may not")
	// In scope, the register itself is checked (the case listed is not in the package).
	s.refused("ani", "PUT", "/api/v1/packages/P-SBY/attendance/today", body, http.StatusUnprocessableEntity, "case sbyaaaaaaa is not in package P-SBY")
	var o starter.RegisterOverview
	s.get("cora", "/api/v1/packages/P-TBN/attendance", &o)
	if o.Package != "P-TBN" {
		t.Fatalf("coordinator's overview = %+v", o)
	}
	s.refused("ani", "GET", "/api/v1/insurance/batch/exports", nil, http.StatusForbidden, "may not read the BPJS batch file log")
	var exports []store.BatchExport
	s.get("vera", "/api/v1/insurance/batch/exports", &exports)
}
