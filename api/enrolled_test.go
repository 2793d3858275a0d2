package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// startedJourneys is a Temporal that knows only the journeys in wids (started, their cases not
// yet in the read model).
type startedJourneys struct {
	client.Client
	wids map[string]bool
}

func (j startedJourneys) DescribeWorkflowExecution(_ context.Context, wid, _ string) (*workflowservice.DescribeWorkflowExecutionResponse, error) {
	if j.wids[wid] {
		return &workflowservice.DescribeWorkflowExecutionResponse{}, nil
	}
	return nil, serviceerror.NewNotFound("workflow not found")
}

// POST /api/v1/packages/{code}/enrolled answers, in order, the case of every NIK whose person is
// enrolled in the package: from the read model, through a correction's alias, or from Temporal
// for a journey the read model does not list yet; nothing for the others. It takes the enrol
// policy and scope: an LSP manager, a viewer, and a centre admin of another centre are refused.
func TestEnrolledEndpoint(t *testing.T) {
	s := newScopedServer(t)
	ctx := context.Background()
	start := time.Now().AddDate(0, 1, 0)
	for code, centre := range map[string]string{"P": "BLK-SBY", "Q": "BLK-TBN"} {
		if err := s.st.CreatePackage(ctx, store.Package{Code: code, CentreCode: centre, Trade: "Las", Scheme: "SKEMA-LAS-SMAW",
			LSPCode: "LSP-BLK-SBY", StartDate: start, EndDate: start.AddDate(0, 1, 0), Capacity: 16}); err != nil {
			t.Fatal(err)
		}
	}
	const (
		alias    = "3515014101900002" // corrected to stand for scopeNIK's record
		starting = "3515014101900003" // journey started, not in the read model yet
		newcomer = "3515014101900004" // not enrolled
	)
	key := s.svc.NIKHash(scopeNIK)
	if err := s.st.UpsertParticipant(ctx, store.Participant{NIKHash: key, NIK: scopeNIK, Name: "Siti", Sex: "P",
		BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	enrolledCase := workflows.CaseIDFor("P", key)
	c := opsCase(enrolledCase, "BLK-SBY", "LSP-BLK-SBY", vocab.StageEnrolment, vocab.WaitingCentreAdmin)
	c.NIKHash = key
	if err := s.st.UpsertCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.CorrectParticipant(ctx, store.ParticipantCorrection{Key: key, CaseID: enrolledCase, Actor: "ani",
		Role: vocab.RoleCentreAdmin, NIK: alias, NIKHash: s.svc.NIKHash(alias)}); err != nil {
		t.Fatal(err)
	}
	startingCase := workflows.CaseIDFor("P", s.svc.NIKHash(starting))
	s.svc.Temporal = startedJourneys{wids: map[string]bool{workflows.WorkflowIDFor("P", s.svc.NIKHash(starting)): true}}

	body := api.EnrolledRequest{NIKs: []string{newcomer, scopeNIK, starting, alias}}
	want := []api.EnrolledResult{{}, {Enrolled: true, CaseID: enrolledCase}, {Enrolled: true, CaseID: startingCase}, {Enrolled: true, CaseID: enrolledCase}}
	for _, who := range []string{"ani", "cora"} {
		code, data := s.do(who, "POST", "/api/v1/packages/P/enrolled", body)
		var got api.EnrolledResponse
		if code != http.StatusOK || json.Unmarshal(data, &got) != nil {
			t.Fatalf("%s: HTTP %d %s", who, code, data)
		}
		if len(got.Results) != len(want) {
			t.Fatalf("%s: %d results, want %d: %s", who, len(got.Results), len(want), data)
		}
		for i := range want {
			if got.Results[i] != want[i] {
				t.Errorf("%s: NIK %d: %+v, want %+v", who, i, got.Results[i], want[i])
			}
		}
	}
	// In another package the same people are not enrolled.
	code, data := s.do("cora", "POST", "/api/v1/packages/Q/enrolled", body)
	var other api.EnrolledResponse
	if code != http.StatusOK || json.Unmarshal(data, &other) != nil || len(other.Results) != 4 {
		t.Fatalf("cora in Q: HTTP %d %s", code, data)
	}
	for i, r := range other.Results {
		if r.Enrolled || r.CaseID != "" {
			t.Errorf("NIK %d enrolled in Q: %+v", i, r)
		}
	}
	s.refused("budi", "POST", "/api/v1/packages/P/enrolled", body, http.StatusForbidden, "lsp-manager")
	s.refused("vera", "POST", "/api/v1/packages/P/enrolled", body, http.StatusForbidden, "viewer")
	s.refused("ani", "POST", "/api/v1/packages/Q/enrolled", body, http.StatusForbidden, "BLK-TBN")
	s.refused("ani", "POST", "/api/v1/packages/P/enrolled", api.EnrolledRequest{NIKs: []string{"12"}}, http.StatusUnprocessableEntity, "niks[0]")
	s.refused("cora", "POST", "/api/v1/packages/NOPE/enrolled", body, http.StatusNotFound)
}
