package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// writeCasesCSV exports a case list (GET /api/v1/cases?format=csv).
func writeCasesCSV(w http.ResponseWriter, cs []store.Case) {
	rows := make([][]string, 0, len(cs))
	for _, c := range cs {
		rows = append(rows, append([]string{c.CaseID, c.PackageCode, c.CentreCode, c.LSPCode, string(c.Stage), c.Status, string(c.Outcome),
			string(c.WaitingOn), strconv.FormatBool(c.Stuck), string(c.StuckCode), c.StuckReason, timeText(c.StuckSince),
			c.StageEnteredAt.UTC().Format(time.RFC3339), c.KPJ, c.CertificateNo, strconv.Itoa(c.Attempts), c.LastError}, personCells(c.Person)...))
	}
	writeCSV(w, "kasus-cases", []string{"case_id", "package", "centre", "lsp", "stage", "status", "outcome", "waiting_on",
		"stuck", "stuck_code", "stuck_reason", "stuck_since", "stage_entered_at", "kpj", "certificate_no", "attempts", "last_error",
		"name", "nik_masked", "age", "phone"}, rows)
}

// writeEventsCSV exports a case's timeline (GET /api/v1/cases/{id}/events?format=csv).
func writeEventsCSV(w http.ResponseWriter, caseID string, ev []store.Event) {
	rows := make([][]string, 0, len(ev))
	for _, e := range ev {
		rows = append(rows, []string{e.At.UTC().Format(time.RFC3339), string(e.Stage), e.Kind, e.ActorID, string(e.ActorRole), e.Detail})
	}
	writeCSV(w, "riwayat-timeline-"+caseID, []string{"at", "stage", "kind", "actor_id", "actor_role", "detail"}, rows)
}
