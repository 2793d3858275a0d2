package api

import (
	"net/http"
	"strconv"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// writeCasesCSV exports a case list (GET /api/v1/cases?format=csv or xlsx).
func (s *Server) writeCasesCSV(w http.ResponseWriter, r *http.Request, format string, cs []store.Case) {
	at, atp := s.timeCells(r, format)
	rows := make([][]string, 0, len(cs))
	for _, c := range cs {
		rows = append(rows, append([]string{c.CaseID, c.PackageCode, c.CentreCode, c.LSPCode, string(c.Stage), c.Status, string(c.Outcome),
			string(c.WaitingOn), strconv.FormatBool(c.Stuck), string(c.StuckCode), c.StuckReason, atp(c.StuckSince),
			at(c.StageEnteredAt), c.KPJ, c.CertificateNo, strconv.Itoa(c.Attempts), c.LastError}, personCells(c.Person)...))
	}
	s.writeTable(w, r, format, "kasus-cases", []string{"case_id", "package", "centre", "lsp", "stage", "status", "outcome", "waiting_on",
		"stuck", "stuck_code", "stuck_reason", "stuck_since", "stage_entered_at", "kpj", "certificate_no", "attempts", "last_error",
		"name", "nik_masked", "age", "phone"}, rows)
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
