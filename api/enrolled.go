package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/bpvp-sidoarjo/kompeten/nik"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// EnrolledRequest asks which of these NIKs are already enrolled in a package. The NIKs travel in
// the body only: never in a URL or a log line.
type EnrolledRequest struct {
	NIKs []string `json:"niks"`
}

// EnrolledResult is one NIK's answer: the case ID when that person is already enrolled.
type EnrolledResult struct {
	Enrolled bool   `json:"enrolled"`
	CaseID   string `json:"case_id,omitempty"`
}

// EnrolledResponse answers every NIK of the request, in its order.
type EnrolledResponse struct {
	Results []EnrolledResult `json:"results"`
}

// enrolled is POST /api/v1/packages/{code}/enrolled: a cohort preview's question (issue 16
// point 2), answered as an enrolment would find the person (aliases included), with the
// enrolment's policy (auth's ActionEnrol) and scope: who may not enrol there may not ask.
func (s *Server) enrolled(w http.ResponseWriter, r *http.Request) {
	pkg, err := s.Store.GetPackage(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req EnrolledRequest
	if !decode(w, r, &req) {
		return
	}
	if len(req.NIKs) > maxEnrolBatch {
		writeError(w, r, http.StatusRequestEntityTooLarge, say("api.too-many-niks", "max", strconv.Itoa(maxEnrolBatch), "n", strconv.Itoa(len(req.NIKs))),
			"at most %d NIKs per request, got %d", maxEnrolBatch, len(req.NIKs))
		return
	}
	for i, n := range req.NIKs {
		if _, err := nik.Parse(n); err != nil {
			writeError(w, r, http.StatusUnprocessableEntity, say("api.bad-nik-at", "field", fmt.Sprintf("niks[%d]", i), "detail", err.Error()).wording("detail", err), "niks[%d]: %v", i, err) // the answer, not a log: as enrol refuses a person
			return
		}
	}
	res, err := s.enrolledCases(r.Context(), pkg, req.NIKs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, EnrolledResponse{Results: res})
}

// enrolledCases looks the NIKs up with the enrolment's concurrency; the first error wins.
func (s *Server) enrolledCases(ctx context.Context, pkg store.Package, niks []string) ([]EnrolledResult, error) {
	conc := s.EnrolConcurrency
	if conc == 0 {
		conc = 16
	}
	out := make([]EnrolledResult, len(niks))
	errs := make([]error, len(niks))
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for i := range niks {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			id, err := s.Svc.EnrolledCase(ctx, pkg, niks[i])
			out[i], errs[i] = EnrolledResult{Enrolled: id != "", CaseID: id}, err
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
