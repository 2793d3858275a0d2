package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The refusals that come before the journey is asked: the values with the import's words, a
// closed case, a missing record, an overlong note. None of them writes anything.
func TestCorrectionRefusalsWriteNothing(t *testing.T) {
	s := newOpsServer(t)
	ctx := context.Background()
	start := time.Now().AddDate(0, 1, 0)
	if err := s.store.CreatePackage(ctx, store.Package{Code: "P", CentreCode: "BLK-SBY", Trade: "Welding", Scheme: "SKEMA-LAS-SMAW",
		LSPCode: "LSP-BLK-SBY", StartDate: start, EndDate: start.AddDate(0, 1, 0), Capacity: 16}); err != nil {
		t.Fatal(err)
	}
	orig := store.Participant{NIKHash: "h-corrzzzzz2", NIK: "3515015907041187", Name: "Siti Nur", Sex: "P",
		BirthDate: time.Date(2004, 7, 19, 0, 0, 0, 0, time.UTC)}
	if err := s.store.UpsertParticipant(ctx, orig); err != nil {
		t.Fatal(err)
	}
	s.put(opsCase("corrzzzzz2", "BLK-SBY", "LSP-BLK-SBY", vocab.StageInsurance, vocab.WaitingCorrection),
		opsCase("corrzzzzz3", "BLK-SBY", "LSP-BLK-SBY", vocab.StageInsurance, vocab.WaitingCorrection))
	admin := workflows.Actor{ID: "ani", Role: vocab.RoleCentreAdmin}
	path := "/api/v1/cases/corrzzzzz2/correction"

	s.wantStatus("POST", path, api.CorrectionRequest{Actor: admin, NIK: "3.51502E+15"},
		http.StatusUnprocessableEntity, "looks like Excel scientific notation")
	s.wantStatus("POST", path, api.CorrectionRequest{Actor: admin, NIK: "9915015907041187"},
		http.StatusUnprocessableEntity, "correction refused")
	s.wantStatus("POST", path, api.CorrectionRequest{Actor: admin, BirthDate: "31-02-2004"},
		http.StatusUnprocessableEntity, "not a real date")
	s.wantStatus("POST", path, api.CorrectionRequest{Actor: admin, BirthDate: "19-07-2020"},
		http.StatusUnprocessableEntity, "below the minimum")
	s.wantStatus("POST", path, api.CorrectionRequest{Actor: admin, Name: "Siti", Note: string(make([]byte, 501))},
		http.StatusBadRequest, "")
	// The case's record is missing (a journey whose identity was never stored).
	s.wantStatus("POST", "/api/v1/cases/corrzzzzz3/correction", api.CorrectionRequest{Actor: admin, Name: "Siti"},
		http.StatusNotFound, "")

	closed := opsCase("corrzzzzz4", "BLK-SBY", "LSP-BLK-SBY", vocab.StageClosed, "")
	closed.Status, closed.Outcome, closed.NIKHash = store.StatusClosed, vocab.OutcomeWithdrawn, orig.NIKHash
	s.put(closed)
	s.wantStatus("POST", "/api/v1/cases/corrzzzzz4/correction", api.CorrectionRequest{Actor: admin, Name: "Siti Nurhaliza"},
		http.StatusConflict, "case corrzzzzz4 is closed (withdrawn): nothing to correct")

	got, err := s.store.GetParticipant(ctx, orig.NIKHash)
	if err != nil || got.Name != orig.Name || got.NIK != orig.NIK || !got.BirthDate.Equal(orig.BirthDate) {
		t.Fatalf("record after refusals: %+v, %v", got, err)
	}
	if recs, _ := s.store.CorrectionsOf(ctx, "corrzzzzz2"); len(recs) != 0 {
		t.Fatalf("audited refusals: %+v", recs)
	}
}

// journeyAt answers the state query with state; every other call fails as unreachableTemporal.
type journeyAt struct {
	unreachableTemporal
	state workflows.CaseState
}

func (j journeyAt) QueryWorkflow(context.Context, string, string, string, ...any) (converter.EncodedValue, error) {
	return jsonValue{j.state}, nil
}

// jsonValue is a query answer.
type jsonValue struct{ v any }

func (j jsonValue) HasValue() bool { return true }
func (j jsonValue) Get(ptr any) error {
	b, err := json.Marshal(j.v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, ptr)
}

// The order of a correction: the journey is asked first and a case that does not wait is
// refused with nothing written; a correction the journey then fails to take (here: Temporal
// unreachable for the update) is put back, its alias dropped, its audit row marked reverted.
func TestCorrectionIsPutBackWhenTheJourneyDoesNotTakeIt(t *testing.T) {
	s := newScopedServer(t)
	ctx := context.Background()
	start := time.Now().AddDate(0, 1, 0)
	if err := s.st.CreatePackage(ctx, store.Package{Code: "P", CentreCode: "BLK-SBY", Trade: "Las", Scheme: "SKEMA-LAS-SMAW",
		LSPCode: "LSP-BLK-SBY", StartDate: start, EndDate: start.AddDate(0, 1, 0), Capacity: 16}); err != nil {
		t.Fatal(err)
	}
	key := s.svc.NIKHash(scopeNIK)
	orig := store.Participant{NIKHash: key, NIK: scopeNIK, Name: "Siti", Sex: "P", BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.st.UpsertParticipant(ctx, orig); err != nil {
		t.Fatal(err)
	}
	corrected := "3515014101900002"
	body := api.CorrectionRequest{Name: "Siti Nurhaliza", NIK: corrected}

	s.svc.Temporal = journeyAt{state: workflows.CaseState{Stage: vocab.StageEnrolment}}
	s.refused("ani", "POST", "/api/v1/cases/sbyaaaaaaa/correction", body, http.StatusUnprocessableEntity, "is not waiting for a correction")

	refusal := workflows.CaseState{Stage: vocab.StageInsurance}
	refusal.Insurance.DataError = "name or birth date does not match the population register for this NIK"
	s.svc.Temporal = journeyAt{state: refusal}
	if code, data := s.do("ani", "POST", "/api/v1/cases/sbyaaaaaaa/correction", body); code != http.StatusInternalServerError {
		t.Fatalf("update through an unreachable Temporal: HTTP %d %s", code, data)
	}

	got, err := s.st.GetParticipant(ctx, key)
	if err != nil || got.Name != orig.Name || got.NIK != orig.NIK {
		t.Fatalf("record after the journey did not take the correction: %+v, %v", got, err)
	}
	if k, _ := s.st.ParticipantKey(ctx, s.svc.NIKHash(corrected)); k == key {
		t.Fatal("the corrected NIK still stands for the record")
	}
	recs, err := s.st.CorrectionsOf(ctx, "sbyaaaaaaa")
	if err != nil || len(recs) != 1 || recs[0].Reverted == nil || recs[0].Actor != "ani" {
		t.Fatalf("audit: %+v, %v (want one reverted row: the refused-before-writing one leaves none)", recs, err)
	}
}
