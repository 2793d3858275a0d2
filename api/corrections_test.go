package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

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
