package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
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
	s := newOpsServer(t)
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
	op := workflows.Actor{ID: "rina", Role: vocab.RoleOperator}
	s.wantStatus("POST", "/api/v1/cases/bbbbbbbbb2/retry", api.RetryRequest{Actor: op}, http.StatusConflict,
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
	s.wantStatus("POST", "/api/v1/cases/bbbbbbbbb3/retry", api.RetryRequest{Actor: op}, http.StatusConflict,
		fmt.Sprintf("waits for the BPJS batch file — the BPJS liaison should send the pending registrations to the BPJS branch office (kompeten insurance export) and import the KPJ file it returns (kompeten insurance import); its registration last went out in file %d, taken by ", exports[0].ID))
}
