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

// streamCases exports every case matching f (CSV or XLSX), a batch at a time from the read
// model (streamTable). X-Total-Count is the first batch's count.
func (s *Server) streamCases(w http.ResponseWriter, r *http.Request, format string, f store.CaseFilter) {
	at, atp := s.timeCells(r, format)
	f.Limit = exportBatch
	first := true
	s.streamTable(w, r, format, "kasus-cases", caseExportHeader, func() ([][]string, bool, error) {
		var cs []store.Case
		if first {
			page, err := s.casePage(r.Context(), f)
			if err != nil {
				return nil, false, err
			}
			w.Header().Set("X-Total-Count", strconv.Itoa(page.Total))
			cs, first = page.Cases, false
		} else {
			var err error
			if cs, err = s.Store.ListCases(r.Context(), f); err == nil {
				err = s.attachPeople(r.Context(), cs)
			}
			if err != nil {
				return nil, false, fmt.Errorf("cases from %d: %w", f.Offset, err)
			}
		}
		f.Offset += len(cs)
		return caseRows(cs, at, atp), len(cs) == exportBatch, nil
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
