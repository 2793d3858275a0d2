package web

import (
	"errors"
	"net/http"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/internal/xlsxsafe"
	"github.com/bpvp-sidoarjo/kompeten/results"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// assessmentsLimit is how many cases in assessment the page reads (an LSP assesses a few
// packages of tens of people at a time).
const assessmentsLimit = 500

// assessmentsData is the LSP's page: the assessments waiting for their results in the
// reader's scope, and the outcome of a result file uploaded.
type assessmentsData struct {
	LSP     string
	Choices choices
	Waiting []store.Case
	// Total is how many cases are in assessment; Waiting those waiting for a result.
	Total int
	// File, Rows and Counts are an upload's report (Rows in the file's order).
	File   string
	Rows   []results.RowOutcome
	Counts []outcomeCount
	Error  string
}

// assessmentsRoutes adds the LSP's assessments page and its result file upload.
func (s *Server) assessmentsRoutes(mux *http.ServeMux, forms map[string]http.HandlerFunc) {
	mux.HandleFunc("GET /assessments", s.assessmentsPage)
	forms["POST /assessments/results"] = s.uploadResults
}

// assessmentsPage lists the assessments waiting for their result (each case's page has the
// K/BK form) and offers the upload of the LSP's result file.
func (s *Server) assessmentsPage(w http.ResponseWriter, r *http.Request) {
	s.renderAssessments(w, r, assessmentsData{LSP: r.URL.Query().Get("lsp")}, http.StatusOK)
}

func (s *Server) renderAssessments(w http.ResponseWriter, r *http.Request, d assessmentsData, status int) {
	var err error
	if d.Choices, err = s.choices(r); err != nil {
		s.failPage(w, r, err)
		return
	}
	pg, err := s.api.SearchCases(r.Context(), api.SearchRequest{LSP: d.LSP, Stage: vocab.StageAssessment, Status: store.StatusOpen, Limit: assessmentsLimit})
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	d.Total = pg.Total
	for _, c := range pg.Cases {
		if c.WaitingOn == vocab.WaitingLSP {
			d.Waiting = append(d.Waiting, c)
		}
	}
	s.render(w, r, "assessments", page{Title: both("Uji kompetensi", "Assessments"), Nav: "assessments", Data: d, Status: status})
}

// uploadResults reads the LSP's result file (CSV or XLSX, one row per person and unit: see
// package results) within the cohort upload's limits, sends one record-assessment update per
// case (what `kompeten assess` sends) and shows every row's outcome: recorded, refused in the
// journey's words (a partial result names its missing units), or not sent with the reason.
func (s *Server) uploadResults(w http.ResponseWriter, r *http.Request) {
	d := assessmentsData{LSP: r.URL.Query().Get("lsp")}
	fail := func(status int, msg string) {
		d.Error = msg
		s.renderAssessments(w, r, d, status)
	}
	if id, ok := api.IdentityFrom(r.Context()); ok && !id.May(assessAction) {
		fail(http.StatusForbidden, auth.Refusal(id.Role, assessAction))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxUploadBytes+1<<20)
	a, ok := s.actor(w, r, vocab.RoleLSPManager)
	if !ok {
		return
	}
	data, file, ok := uploadedFile(r, "upload.what.results", fail)
	if !ok {
		return
	}
	d.File = file
	rows, err := results.Read(d.File, data)
	if err != nil {
		status := http.StatusUnprocessableEntity
		if errors.Is(err, xlsxsafe.ErrRefused) {
			status = http.StatusRequestEntityTooLarge
		}
		fail(status, fileWords(prefsOf(r).reader(nil), err))
		return
	}
	d.Rows = results.Apply(r.Context(), rows, a, s.api.RecordAssessment)
	count := results.Counts(d.Rows)
	for _, o := range results.Outcomes {
		if count[o] > 0 {
			d.Counts = append(d.Counts, outcomeCount{o, count[o]})
		}
	}
	for _, o := range d.Rows {
		if o.Outcome == results.Failed {
			s.opts.Logger.Error("result file", "case", o.CaseID, "error", o.Message)
		}
	}
	s.renderAssessments(w, r, d, http.StatusOK)
}
