package integration

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/partners/batch"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// One day's register for a whole package goes through the API into the journeys: each listed
// trainee's running count reaches its journey (one update per case whose count changed; the
// same register again sends nothing), and at the end of training the count decides graduation.
// A step on the case that closed says it is closed, not "not found".
func TestAttendanceRegisterThroughTheAPIIntoTheJourneys(t *testing.T) {
	sys := startSystem(t, fastConfig(t))
	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-REGISTER", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS",
		LSP: "LSP-BLK-SBY", Start: now.Add(4 * time.Second).Format(time.RFC3339), End: now.Add(25 * time.Second).Format(time.RFC3339),
		Hours: 8, AutoApprove: true})
	ids := enrol(t, sys, pkg.Code, validPeople(t, pkg.StartDate, 3))
	for _, id := range ids {
		sys.caseIn(id, vocab.StageTraining, 30*time.Second)
	}
	a, b, c := ids[0], ids[1], ids[2]
	day := pkg.StartDate.In(sys.svc.Location()).Format(time.DateOnly)
	path := "/api/v1/packages/" + pkg.Code + "/attendance/" + day
	admin := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}
	record := func(present, absent []string) starter.RegisterResult {
		t.Helper()
		var res starter.RegisterResult
		if code := sys.call("PUT", path, api.AttendanceRegisterRequest{Present: present, Absent: absent, Actor: admin}, &res); code != http.StatusOK {
			t.Fatalf("register: HTTP %d", code)
		}
		return res
	}
	outcomes := func(res starter.RegisterResult) map[string]string {
		m := map[string]string{}
		for _, rc := range res.Cases {
			m[rc.CaseID] = rc.Outcome + fmt.Sprintf(" %d", rc.Sent)
		}
		return m
	}
	attended := func(id string) string {
		st, err := sys.svc.State(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Training.Attended == nil {
			return "none"
		}
		return fmt.Sprint(*st.Training.Attended)
	}

	// Left off, a trainee is not taken as absent: the register is refused and nothing is sent.
	var e api.ErrorBody
	if code := sys.call("PUT", path, api.AttendanceRegisterRequest{Present: []string{a, b}, Actor: admin}, &e); code != http.StatusUnprocessableEntity ||
		!strings.Contains(e.Error, "not listed: "+c) {
		t.Fatalf("register without %s: HTTP %d %q", c, code, e.Error)
	}
	if got := attended(c); got != "none" {
		t.Fatalf("after a refused register, %s has attendance %s", c, got)
	}

	res := record([]string{a, b, c}, nil)
	if got, want := outcomes(res), map[string]string{a: "sent 1", b: "sent 1", c: "sent 1"}; !maps.Equal(got, want) {
		t.Fatalf("first register: %v, want %v", got, want)
	}
	if attended(a) != "1" || attended(c) != "1" {
		t.Fatalf("journeys after the register: %s %s", attended(a), attended(c))
	}
	// The same register again sends nothing; corrected, only the changed case is sent.
	if got, want := outcomes(record([]string{a, b, c}, nil)), map[string]string{a: "unchanged 1", b: "unchanged 1", c: "unchanged 1"}; !maps.Equal(got, want) {
		t.Fatalf("same register again: %v, want %v", got, want)
	}
	if got, want := outcomes(record([]string{a, b}, []string{c})), map[string]string{a: "unchanged 1", b: "unchanged 1", c: "sent 0"}; !maps.Equal(got, want) {
		t.Fatalf("corrected register: %v, want %v", got, want)
	}
	if attended(c) != "0" {
		t.Fatalf("%s after the correction: %s, want 0", c, attended(c))
	}
	if n := sys.eventCount(c, "attendance"); n != 2 {
		t.Fatalf("%s has %d attendance events, want 2 (the first register and the correction)", c, n)
	}
	var o starter.RegisterOverview
	if code := sys.call("GET", "/api/v1/packages/"+pkg.Code+"/attendance", nil, &o); code != http.StatusOK || o.Recorded != 1 || o.Missing != 0 {
		t.Fatalf("overview: HTTP %d %+v", code, o)
	}

	// The end of training: a and b attended the one training day, c did not.
	sys.caseIn(a, vocab.StageAssessment, 40*time.Second)
	closed := sys.caseIn(c, vocab.StageClosed, 40*time.Second)
	if closed.Outcome != vocab.OutcomeNotGraduated {
		t.Fatalf("%s closed %s, want not-graduated", c, closed.Outcome)
	}
	one := 1
	if code := sys.call("POST", "/api/v1/cases/"+c+"/attendance", workflows.Attendance{Actor: admin, Attended: &one}, &e); code != http.StatusConflict ||
		e.Error != "case "+c+" is closed (not-graduated): no attendance to record" {
		t.Fatalf("attendance on the closed case: HTTP %d %q", code, e.Error)
	}
	recordHistories(t, sys, map[string]string{"journey-register-not-graduated": c})
}

// eventCount counts the events of a kind in a case's log.
func (s *system) eventCount(caseID, kind string) int {
	s.t.Helper()
	evs, err := s.store.CaseEvents(s.t.Context(), caseID)
	if err != nil {
		s.t.Fatal(err)
	}
	n := 0
	for _, ev := range evs {
		if ev.Kind == kind {
			n++
		}
	}
	return n
}

// The batch exchange with a trainee who withdraws: a case waiting for the file is stuck waiting
// for it (not "partner failing"), and a retry says who sends the file; the withdrawn trainee is
// left out of the next file; each file taken is recorded with who took it; the KPJ that comes
// back for the withdrawn trainee is flagged, logged on the case and sent to the BPJS liaison
// (once, however often the file is imported), while the others' KPJs are delivered.
// Terminating the insurer's MoU while these cases depend on it needs force.
func TestBatchExchangeWithAWithdrawnTrainee(t *testing.T) {
	cfg := fastConfig(t)
	cfg.Partners.BPJS.Adapter = "batch"
	cfg.SLA.Insurance = 2 * time.Second
	hook := newWebhook(t)
	cfg.Notify.WebhookURL = hook.srv.URL
	sys := startSystem(t, cfg)
	ctx := t.Context()
	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-BATCH-W", Centre: "BLK-JBG", Trade: "Menjahit", Scheme: "SKM-JAHIT",
		LSP: "LSP-BLK-JBG", Start: now.Add(time.Hour).Format(time.RFC3339), End: now.Add(2 * time.Hour).Format(time.RFC3339), AutoApprove: true})
	ids := enrol(t, sys, pkg.Code, validPeople(t, pkg.StartDate, 3))
	a, b, c := ids[0], ids[1], ids[2]
	for _, id := range ids {
		eventually(t, 30*time.Second, "case "+id+" stuck waiting for the batch file", func() (bool, string) {
			cs, err := sys.store.GetCase(ctx, id)
			if err != nil {
				return false, err.Error()
			}
			return cs.Stuck && cs.StuckCode == vocab.StuckBatchFileOverdue && cs.WaitingOn == vocab.WaitingBatchFile &&
					strings.Contains(cs.StuckReason, "the BPJS liaison should send the pending registrations"),
				fmt.Sprintf("stuck=%v code=%s waiting=%s reason=%q", cs.Stuck, cs.StuckCode, cs.WaitingOn, cs.StuckReason)
		})
	}
	var stuck api.StuckList
	if code := sys.call("GET", "/api/v1/stuck?reason=batch-file-overdue", nil, &stuck); code != http.StatusOK || len(stuck.Cases) != 3 ||
		stuck.Cases[0].Unblock.Role != vocab.RoleInsurerLiaison || !strings.Contains(stuck.Cases[0].Unblock.Action, "kompeten insurance export") {
		t.Fatalf("stuck list: HTTP %d %+v", code, stuck)
	}
	var e api.ErrorBody
	op := workflows.Actor{ID: "rina", Role: vocab.RoleOperator}
	if code := sys.call("POST", "/api/v1/cases/"+a+"/retry", api.RetryRequest{Actor: op}, &e); code != http.StatusConflict ||
		!strings.Contains(e.Error, "waits for the BPJS batch file — the BPJS liaison should send") || !strings.Contains(e.Error, "has not gone out in a file yet") {
		t.Fatalf("retry: HTTP %d %q", code, e.Error)
	}

	rowsOf := func(f []byte) int {
		x, err := excelize.OpenReader(bytes.NewReader(f))
		if err != nil {
			t.Fatal(err)
		}
		sheet, _ := x.GetRows(batch.SheetName)
		return len(sheet) - 1
	}
	first, err := sys.client().ExportBatch(ctx)
	if err != nil || rowsOf(first.Data) != 3 {
		t.Fatalf("first file: %v", err)
	}
	var w workflows.UpdateResult
	if code := sys.call("POST", "/api/v1/cases/"+c+"/withdrawal", workflows.Withdrawal{Actor: workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}, Reason: "moved to Malang"}, &w); code != http.StatusOK {
		t.Fatalf("withdraw: HTTP %d", code)
	}
	sys.caseIn(c, vocab.StageClosed, 20*time.Second)
	second, err := sys.client().ExportBatch(ctx)
	if err != nil || rowsOf(second.Data) != 2 || second.Header.Get("X-Kompeten-Rows") != "2" {
		t.Fatalf("second file: %v; the withdrawn trainee should be left out", err)
	}
	exports, err := sys.client().ListBatchExports(ctx, 0)
	if err != nil || len(exports) != 2 || exports[0].Rows != 2 || exports[1].Rows != 3 || slices.Contains(exports[0].CaseIDs, c) {
		t.Fatalf("exports: %+v %v", exports, err)
	}

	// The branch office returns the first file, with a KPJ for c too.
	ret := func(rows ...[]any) []byte {
		f := excelize.NewFile()
		s := f.GetSheetName(0)
		_ = f.SetSheetRow(s, "A1", &[]any{"case_ref", "kpj"})
		for i, r := range rows {
			_ = f.SetSheetRow(s, fmt.Sprintf("A%d", i+2), &r)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	file := ret([]any{a, "11111111111"}, []any{b, "22222222222"}, []any{c, "33333333333"})
	for round := range 2 {
		imp := postXLSX(t, sys, "rina", file)
		got := map[string]api.BatchImportRow{}
		for _, r := range imp.Rows {
			got[r.CaseRef] = r
		}
		want := []string{api.ImportDelivered, api.ImportAlreadyDelivered}[round]
		if got[a].Outcome != want || got[b].Outcome != want {
			t.Fatalf("round %d: %+v %+v, want %s", round, got[a], got[b], want)
		}
		if got[c].Outcome != api.ImportFlagged || !strings.Contains(got[c].Reason, "ask the BPJS branch office to cancel membership KPJ 33333333333") {
			t.Fatalf("round %d: the withdrawn trainee's KPJ: %+v", round, got[c])
		}
	}
	if flagged := sys.eventCount(c, "kpj-after-close"); flagged != 1 {
		t.Fatalf("%d kpj-after-close events on %s, want 1 however often the file is imported", flagged, c)
	}
	// The escalation is worded in escalation.language, Indonesian by default.
	eventually(t, 20*time.Second, "the BPJS liaison notified", func() (bool, string) {
		ms := hook.of("escalation")
		return len(ms) == 1 && ms[0].To == vocab.RoleInsurerLiaison && strings.Contains(ms[0].Text, "membatalkan kepesertaan KPJ 33333333333"),
			fmt.Sprintf("%+v", ms)
	})
	for _, id := range []string{a, b} {
		eventually(t, 20*time.Second, "case "+id+" insured", func() (bool, string) {
			cs, err := sys.store.GetCase(ctx, id)
			return err == nil && cs.KPJ != "" && !cs.Stuck, fmt.Sprintf("%+v %v", cs.KPJ, err)
		})
	}

	// a and b depend on the insurer's MoU: terminating it needs force.
	number := store.SeedMoUNumber("BPVP-SDA", cfg.Partners.InsurerCode, time.Date(2023, 1, 19, 0, 0, 0, 0, time.UTC))
	coordinator := workflows.Actor{ID: "kepala-bpvp", Role: vocab.RoleCoordinator}
	terminate := "/api/v1/mous/" + url.PathEscape(number) + "/terminate"
	if code := sys.call("POST", terminate, api.MoUTerminateRequest{Actor: coordinator, Reason: "test"}, &e); code != http.StatusConflict ||
		!strings.Contains(e.Error, "has 2 live case(s) depending on it") {
		t.Fatalf("terminate without force: HTTP %d %q", code, e.Error)
	}
	var res api.MoUActionResponse
	if code := sys.call("POST", terminate, api.MoUTerminateRequest{Actor: coordinator, Reason: "test", Force: true}, &res); code != http.StatusOK {
		t.Fatalf("terminate with force: HTTP %d", code)
	}
	recordHistories(t, sys, map[string]string{"journey-batch-withdrawn": c})
}
