package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/partners/batch"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// xlsxType is the media type of a spreadsheet in the batch exchange.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// batchExportRoles may take the BPJS batch file.
var batchExportRoles = []vocab.Role{vocab.RoleInsurerLiaison, vocab.RoleOperator, vocab.RoleCoordinator}

// exportBatch writes the registrations waiting for the BPJS branch office as a spreadsheet
// (NIK and KPJ columns as text) and marks them exported. Exporting again includes every
// registration that still has no KPJ, so a lost file is simply exported again.
//
// The file holds the NIK and name of every pending registration in the network, and taking it
// marks them all exported: only the people who send it to the branch office (insurer liaison,
// operator, coordinator) may take it. A scoped role would read other centres' trainees, and a
// viewer, who reads but changes nothing, would hide registrations from the liaison's next file.
func (s *Server) exportBatch(w http.ResponseWriter, r *http.Request) {
	if id, ok := IdentityFrom(r.Context()); ok && !slices.Contains(batchExportRoles, id.Role) {
		writeError(w, http.StatusForbidden, "role %s may not take the BPJS batch file: it marks the network's pending registrations exported (%s)",
			id.Role, strings.Join(vocab.Strings(batchExportRoles), ", "))
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
	if err := s.Store.MarkExported(r.Context(), ids, time.Now()); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bpjs-pendaftaran-%s.xlsx"`, time.Now().Format("20060102-1504")))
	w.Header().Set("X-Kompeten-Rows", fmt.Sprint(len(rows)))
	_, _ = w.Write(buf.Bytes())
}

// BatchImportRow is what happened to one row of a returned KPJ file.
type BatchImportRow struct {
	Row     int    `json:"row"`
	CaseRef string `json:"case_ref,omitempty"`
	Outcome string `json:"outcome"` // delivered | already-delivered | conflict | rejected
	Reason  string `json:"reason,omitempty"`
}

// BatchImportResponse lists every row of the returned file.
type BatchImportResponse struct {
	Rows []BatchImportRow `json:"rows"`
}

// importBatch reads the spreadsheet returned by the branch office and delivers each KPJ to its
// waiting journey as a signal (the journey checks it and logs any refusal). Re-importing the
// same file delivers nothing new twice: a case that already has that KPJ is acknowledged.
//
// Each KPJ is claimed for the row's person first, in file order, through the same claim the
// journeys make (store.ClaimNumber): a KPJ that belongs to another person (one the file returns
// for two people, say) is a "conflict" row naming the case that holds it. It is not stored, so
// the registration stays pending for the next file, and it is still signalled, so the journey,
// claiming it again, is held kpj-conflict with both cases named.
func (s *Server) importBatch(w http.ResponseWriter, r *http.Request) {
	actor := workflows.Actor{ID: r.URL.Query().Get("actor"), Role: vocab.RoleInsurerLiaison}
	// Authenticated: the token says who imports (?actor is ignored); the service signs it.
	if id, ok := IdentityFrom(r.Context()); ok {
		actor = workflows.Actor{ID: id.Name, Role: id.Role}
	}
	if actor.ID == "" {
		writeError(w, http.StatusBadRequest, "give the person importing the file as ?actor=<id>")
		return
	}
	body := http.MaxBytesReader(w, r.Body, maxBody)
	rows, rowErrs, err := batch.ReadReturn(body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "file larger than %d bytes", maxBody)
			return
		}
		writeError(w, http.StatusUnprocessableEntity, "not a returned KPJ spreadsheet: %v", err)
		return
	}
	var resp BatchImportResponse
	for _, e := range rowErrs {
		resp.Rows = append(resp.Rows, BatchImportRow{Row: e.Row, CaseRef: e.CaseRef, Outcome: "rejected", Reason: e.Reason})
	}
	for _, row := range rows {
		out := BatchImportRow{Row: row.Row, CaseRef: row.CaseRef, Outcome: "delivered"}
		holder, err := s.claimReturnedKPJ(r, row)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if holder != "" {
			out.Outcome = "conflict"
			out.Reason = fmt.Sprintf("KPJ %s belongs to case %s; case %s waits for a corrected KPJ in a later file", row.KPJ, holder, row.CaseRef)
			if err := s.Svc.Signal(r.Context(), row.CaseRef, workflows.SignalKPJDelivered, workflows.KPJDelivery{Actor: actor, KPJ: row.KPJ}); err != nil {
				out.Reason += "; " + err.Error()
			}
			resp.Rows = append(resp.Rows, out)
			continue
		}
		if _, err := s.Store.SetBatchKPJ(r.Context(), row.CaseRef, row.KPJ); err != nil {
			out.Outcome = "rejected"
			switch {
			case errors.Is(err, store.ErrNotFound):
				out.Reason = "no registration waiting for case " + row.CaseRef
			case errors.Is(err, store.ErrExists):
				out.Reason = "case " + row.CaseRef + " already has a different KPJ"
			default:
				s.fail(w, r, err)
				return
			}
			resp.Rows = append(resp.Rows, out)
			continue
		}
		if done, err := s.Store.BatchDelivered(r.Context(), row.CaseRef); err != nil {
			s.fail(w, r, err)
			return
		} else if done {
			out.Outcome = "already-delivered"
			resp.Rows = append(resp.Rows, out)
			continue
		}
		if err := s.Svc.Signal(r.Context(), row.CaseRef, workflows.SignalKPJDelivered, workflows.KPJDelivery{Actor: actor, KPJ: row.KPJ}); err != nil {
			out.Outcome = "rejected"
			out.Reason = err.Error()
		} else if err := s.Store.MarkBatchDelivered(r.Context(), row.CaseRef, time.Now()); err != nil {
			s.fail(w, r, err)
			return
		}
		resp.Rows = append(resp.Rows, out)
	}
	writeJSON(w, http.StatusOK, resp)
}

// claimReturnedKPJ claims a returned row's KPJ for the person of its case and returns the other
// case holding it, if any. A row naming no known case claims nothing (SetBatchKPJ refuses it).
func (s *Server) claimReturnedKPJ(r *http.Request, row batch.ReturnRow) (string, error) {
	c, err := s.Store.GetCase(r.Context(), row.CaseRef)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	claim := store.NumberClaim{Kind: store.NumberKPJ, Number: row.KPJ, NIKHash: c.NIKHash, CaseID: c.CaseID}
	holder, err := s.Store.ClaimNumber(r.Context(), claim)
	if err != nil {
		return "", err
	}
	if claim.Conflicts(holder) {
		return holder.CaseID, nil
	}
	return "", nil
}
