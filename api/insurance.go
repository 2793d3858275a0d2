package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/partners/batch"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// xlsxType is the media type of a spreadsheet in the batch exchange.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// exportBatch writes the registrations waiting for the BPJS branch office as a spreadsheet
// (NIK and KPJ columns as text), marks them exported and records who took the file (see
// listBatchExports). Exporting again includes every registration that still has no KPJ, so a
// lost file is simply exported again; a trainee whose case closed (withdrawn) is left out.
//
// The file holds the NIK and name of every pending registration in the network, and taking it
// marks them all exported: only the people who send it to the branch office (insurer liaison,
// operator, coordinator) may take it. A scoped role would read other centres' trainees, and a
// viewer, who reads but changes nothing, would hide registrations from the liaison's next file.
func (s *Server) exportBatch(w http.ResponseWriter, r *http.Request) {
	if id, ok := IdentityFrom(r.Context()); ok && !id.May(auth.ActionExportBatch) {
		writeError(w, r, http.StatusForbidden, say("api.batch-export-role", "role", string(id.Role), "allowed", roleLabels(r, auth.RolesFor(auth.ActionExportBatch), ", ")),
			"role %s may not take the BPJS batch file: it marks the network's pending registrations exported (%s)",
			id.Role, strings.Join(vocab.Strings(auth.RolesFor(auth.ActionExportBatch)), ", "))
		return
	}
	pending, err := s.Store.PendingBatch(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]batch.ExportRow, 0, len(pending))
	ids := make([]string, 0, len(pending))
	for _, p := range pending {
		var reg partners.Registration
		if err := json.Unmarshal(p.Payload, &reg); err != nil {
			s.fail(w, r, fmt.Errorf("batch registration of case %s: %w", p.CaseID, err))
			return
		}
		rows = append(rows, batch.ExportRow{CaseRef: p.CaseID, Registration: reg})
		ids = append(ids, p.CaseID)
	}
	var buf bytes.Buffer
	if err := batch.WriteExport(&buf, rows); err != nil {
		s.fail(w, r, err)
		return
	}
	taker := identityActor(r, workflows.Actor{ID: "unauthenticated", Role: vocab.RoleOperator})
	rec, err := s.Store.RecordBatchExport(r.Context(), store.BatchExport{TakenBy: taker.ID, TakenRole: taker.Role, TakenAt: time.Now(), CaseIDs: ids})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rec.ID != 0 {
		w.Header().Set("X-Kompeten-Export", fmt.Sprint(rec.ID))
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bpjs-pendaftaran-%s.xlsx"`, time.Now().Format("20060102-1504")))
	w.Header().Set("X-Kompeten-Rows", fmt.Sprint(len(rows)))
	_, _ = w.Write(buf.Bytes())
}

// listBatchExports lists the BPJS batch files taken, newest first: who took each, when, how
// many rows and which cases. It names the network's cases, so the roles scoped to a centre or
// an LSP may not read it.
func (s *Server) listBatchExports(w http.ResponseWriter, r *http.Request) {
	if id, ok := IdentityFrom(r.Context()); ok && (id.Role == vocab.RoleCentreAdmin || id.Role == vocab.RoleLSPManager) {
		writeError(w, r, http.StatusForbidden, say("api.batch-log-role", "role", string(id.Role)), "role %s may not read the BPJS batch file log: it covers the whole network", id.Role)
		return
	}
	limit, ok := intParam(w, r, "limit", 100, 1, 10000)
	if !ok {
		return
	}
	es, err := s.Store.BatchExports(r.Context(), limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if es == nil {
		es = []store.BatchExport{}
	}
	writeJSON(w, http.StatusOK, es)
}
