package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// caseExportHeader are the columns of a case list export.
var caseExportHeader = []string{"case_id", "package", "centre", "lsp", "stage", "status", "outcome", "waiting_on",
	"stuck", "stuck_code", "stuck_reason", "stuck_since", "stage_entered_at", "kpj", "certificate_no", "attempts", "last_error",
	"name", "nik_masked", "age", "phone"}

// caseRows renders cases as export rows.
func caseRows(cs []store.Case, at func(time.Time) string, atp func(*time.Time) string) [][]string {
	rows := make([][]string, 0, len(cs))
	for _, c := range cs {
		rows = append(rows, append([]string{c.CaseID, c.PackageCode, c.CentreCode, c.LSPCode, string(c.Stage), c.Status, string(c.Outcome),
			string(c.WaitingOn), strconv.FormatBool(c.Stuck), string(c.StuckCode), c.StuckReason, atp(c.StuckSince),
			at(c.StageEnteredAt), c.KPJ, c.CertificateNo, strconv.Itoa(c.Attempts), c.LastError}, personCells(c.Person)...))
	}
	return rows
}

// writeCasesCSV exports a case list (GET /api/v1/cases?format=csv or xlsx).
func (s *Server) writeCasesCSV(w http.ResponseWriter, r *http.Request, format string, cs []store.Case) {
	at, atp := s.timeCells(r, format)
	s.writeTable(w, r, format, "kasus-cases", caseExportHeader, caseRows(cs, at, atp))
}

// exportBatch is how many cases a streamed export reads at a time (a variable for the tests).
var exportBatch = 1000

// streamCases exports every case matching f (CSV or XLSX) with one query, writing each batch
// of exportBatch cases (with their people) as it is read (streamTable, store.EachCaseBatch).
// X-Total-Count is counted first.
func (s *Server) streamCases(w http.ResponseWriter, r *http.Request, format string, f store.CaseFilter) {
	at, atp := s.timeCells(r, format)
	total, err := s.Store.CountCases(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	s.streamTable(w, r, format, "kasus-cases", caseExportHeader, func(emit func([][]string) error) error {
		return s.Store.EachCaseBatch(r.Context(), f, exportBatch, func(cs []store.Case) error {
			if err := s.attachPeople(r.Context(), cs); err != nil {
				return fmt.Errorf("export cases: %w", err)
			}
			return emit(caseRows(cs, at, atp))
		})
	})
}

// writeEventsCSV exports a case's timeline (GET /api/v1/cases/{id}/events?format=csv or xlsx).
func (s *Server) writeEventsCSV(w http.ResponseWriter, r *http.Request, format, caseID string, ev []store.Event) {
	at, _ := s.timeCells(r, format)
	rows := make([][]string, 0, len(ev))
	for _, e := range ev {
		rows = append(rows, []string{at(e.At), string(e.Stage), e.Kind, e.ActorID, string(e.ActorRole), e.Detail})
	}
	s.writeTable(w, r, format, "riwayat-timeline-"+caseID, []string{"at", "stage", "kind", "actor_id", "actor_role", "detail"}, rows)
}
