package api

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/internal/xlsxsafe"
	"github.com/bpvp-sidoarjo/kompeten/partners/batch"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The outcomes of a row of a returned KPJ file.
const (
	ImportDelivered        = "delivered"         // the KPJ reached the waiting journey
	ImportAlreadyDelivered = "already-delivered" // the same file again: nothing new
	ImportRejected         = "rejected"          // unusable row (the reason says why)
	// ImportConflict: the KPJ belongs to another person (claimed in file order, through the
	// claim the journeys make); the case is held kpj-conflict and its registration goes into
	// the next file.
	ImportConflict = "conflict"
	// ImportFlagged: the KPJ came back for a trainee whose case closed first (withdrawn); it is
	// kept, not delivered, and the BPJS liaison is asked to have that membership cancelled.
	ImportFlagged = "flagged"
)

// BatchImportRow is what happened to one row of a returned KPJ file.
type BatchImportRow struct {
	Row     int    `json:"row"`
	CaseRef string `json:"case_ref,omitempty"`
	// Outcome is delivered, already-delivered, rejected, conflict or flagged.
	Outcome string `json:"outcome"`
	Reason  string `json:"reason,omitempty"`
}

// BatchImportResponse lists every row of the returned file, in file order.
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
// claiming it again, is held kpj-conflict with both cases named. A KPJ returned for a trainee
// whose case has closed (withdrawn) is kept and flagged, written to the case's log, and the
// BPJS liaison is notified to have that membership cancelled.
func (s *Server) importBatch(w http.ResponseWriter, r *http.Request) {
	actor := workflows.Actor{ID: r.URL.Query().Get("actor"), Role: vocab.RoleInsurerLiaison}
	// Authenticated: the token says who imports (?actor is ignored); the service signs it.
	if id, ok := IdentityFrom(r.Context()); ok {
		actor = workflows.Actor{ID: id.Name, Role: id.Role}
	}
	if actor.ID == "" {
		writeError(w, r, http.StatusBadRequest, say("api.import-actor"), "give the person importing the file as ?actor=<id>")
		return
	}
	body := http.MaxBytesReader(w, r.Body, maxBody)
	rows, rowErrs, err := batch.ReadReturn(body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, r, http.StatusRequestEntityTooLarge, say("api.file-too-large", "limit", strconv.Itoa(maxBody)), "file larger than %d bytes", maxBody)
			return
		}
		if errors.Is(err, xlsxsafe.ErrRefused) {
			writeError(w, r, http.StatusRequestEntityTooLarge, say("api.file-refused", "detail", err.Error()).wording("detail", err), "%v", err)
			return
		}
		writeError(w, r, http.StatusUnprocessableEntity, say("api.not-kpj-file", "detail", err.Error()).wording("detail", err), "not a returned KPJ spreadsheet: %v", err)
		return
	}
	resp := BatchImportResponse{Rows: []BatchImportRow{}}
	for _, e := range rowErrs {
		resp.Rows = append(resp.Rows, BatchImportRow{Row: e.Row, CaseRef: e.CaseRef, Outcome: ImportRejected, Reason: e.Reason})
	}
	for _, row := range rows {
		out, err := s.importKPJ(r.Context(), actor, row)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		resp.Rows = append(resp.Rows, out)
	}
	slices.SortStableFunc(resp.Rows, func(a, b BatchImportRow) int { return cmp.Compare(a.Row, b.Row) })
	writeJSON(w, http.StatusOK, resp)
}

// importKPJ handles one usable row; an error is a failure of the system, not of the row.
func (s *Server) importKPJ(ctx context.Context, actor workflows.Actor, row batch.ReturnRow) (BatchImportRow, error) {
	out := BatchImportRow{Row: row.Row, CaseRef: row.CaseRef, Outcome: ImportDelivered}
	holder, err := s.claimReturnedKPJ(ctx, row)
	if err != nil {
		return out, err
	}
	if holder != "" {
		out.Outcome = ImportConflict
		out.Reason = fmt.Sprintf("KPJ %s belongs to case %s; case %s waits for a corrected KPJ in a later file", row.KPJ, holder, row.CaseRef)
		if err := s.Svc.Signal(ctx, row.CaseRef, workflows.SignalKPJDelivered, workflows.KPJDelivery{Actor: actor, KPJ: row.KPJ}); err != nil {
			out.Reason += "; " + err.Error()
		}
		return out, nil
	}
	c, err := s.Store.GetCase(ctx, row.CaseRef)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// No read-model row: the registration table answers whether one waits.
	case err != nil:
		return out, err
	case c.Status == store.StatusClosed:
		return s.flagClosed(ctx, actor, c, row)
	}
	if _, err := s.Store.SetBatchKPJ(ctx, row.CaseRef, row.KPJ); err != nil {
		out.Outcome = ImportRejected
		switch {
		case errors.Is(err, store.ErrNotFound):
			out.Reason = "no registration waiting for case " + row.CaseRef
		case errors.Is(err, store.ErrExists):
			out.Reason = "case " + row.CaseRef + " already has a different KPJ"
		default:
			return out, err
		}
		return out, nil
	}
	if done, err := s.Store.BatchDelivered(ctx, row.CaseRef); err != nil {
		return out, err
	} else if done {
		out.Outcome = ImportAlreadyDelivered
		return out, nil
	}
	err = s.Svc.Signal(ctx, row.CaseRef, workflows.SignalKPJDelivered, workflows.KPJDelivery{Actor: actor, KPJ: row.KPJ})
	var closed *starter.ClosedError
	switch {
	case errors.As(err, &closed):
		// It closed between the read above and the signal.
		if c, err = s.Store.GetCase(ctx, row.CaseRef); err != nil {
			return out, err
		}
		return s.flagClosed(ctx, actor, c, row)
	case err != nil:
		out.Outcome, out.Reason = ImportRejected, err.Error()
		return out, nil
	}
	return out, s.Store.MarkBatchDelivered(ctx, row.CaseRef, time.Now())
}

// flagClosed keeps a KPJ returned for a case that closed before it came back, and asks the
// BPJS liaison to have the membership cancelled: a row in the report, an event in the case's
// log and a notification (the escalation workflow, which retries the webhook). A re-imported
// file reports it again but asks nobody twice.
func (s *Server) flagClosed(ctx context.Context, actor workflows.Actor, c store.Case, row batch.ReturnRow) (BatchImportRow, error) {
	out := BatchImportRow{Row: row.Row, CaseRef: row.CaseRef, Outcome: ImportFlagged}
	now := time.Now()
	first, err := s.Store.FlagBatchKPJ(ctx, c.CaseID, row.KPJ, now)
	switch {
	case errors.Is(err, store.ErrNotFound):
		out.Outcome, out.Reason = ImportRejected, "no registration waiting for case "+row.CaseRef
		return out, nil
	case errors.Is(err, store.ErrExists):
		out.Outcome, out.Reason = ImportRejected, "case "+row.CaseRef+" already has a different KPJ"
		return out, nil
	case err != nil:
		return out, err
	}
	action := "ask the BPJS branch office to cancel membership KPJ " + row.KPJ
	out.Reason = fmt.Sprintf("case %s closed (%s) before its KPJ came back: not delivered; %s", c.CaseID, c.Outcome, action)
	if !first {
		return out, nil
	}
	detail := fmt.Sprintf("KPJ %s came back from the BPJS batch exchange after the case closed (%s): %s (BPJS liaison)", row.KPJ, c.Outcome, action)
	if err := s.Store.AppendEvent(ctx, opsEvent(c, "kpj-after-close", detail, actor, now)); err != nil {
		return out, err
	}
	if _, err := s.Svc.StartEscalation(ctx, workflows.EscalationInput{
		CaseID: c.CaseID, Centre: c.CentreCode, LSP: c.LSPCode, Stage: c.Stage, Reason: detail,
		To: workflows.Unblocker{Role: vocab.RoleInsurerLiaison, Action: action}, By: actor, At: now,
		Timezone: s.Svc.Config.Journey.Timezone, Language: s.Svc.Config.Escalation.Language,
		// The same reason and action as codes, so the escalation words them in its language.
		Why: i18n.M("escalation.kpj-after-close", "kpj", row.KPJ, "outcome", string(c.Outcome)),
		Do:  i18n.M("escalation.cancel-kpj", "kpj", row.KPJ),
	}); err != nil {
		return out, err
	}
	return out, nil
}

// claimReturnedKPJ claims a returned row's KPJ for the person of its case and returns the other
// case holding it, if any. A row naming no known case claims nothing (SetBatchKPJ refuses it).
func (s *Server) claimReturnedKPJ(ctx context.Context, row batch.ReturnRow) (string, error) {
	c, err := s.Store.GetCase(ctx, row.CaseRef)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	claim := store.NumberClaim{Kind: store.NumberKPJ, Number: row.KPJ, NIKHash: c.NIKHash, CaseID: c.CaseID}
	holder, err := s.Store.ClaimNumber(ctx, claim)
	if err != nil {
		return "", err
	}
	if claim.Conflicts(holder) {
		return holder.CaseID, nil
	}
	return "", nil
}
