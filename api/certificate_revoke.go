package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// EventCertificateRevoked is the timeline entry of a revoked certificate: who revoked it and why.
const EventCertificateRevoked = "certificate-revoked"

// RevokeCertificateRequest revokes a case's certificate (the LSP withdrew it). The caller's token
// says who revokes; Actor is read only by a server that requires no tokens (handler tests).
type RevokeCertificateRequest struct {
	// Reason is required: it lands in the case's timeline.
	Reason string          `json:"reason"`
	Actor  workflows.Actor `json:"actor,omitzero"`
}

// RevokeCertificateResponse says which certificate was revoked, when, and why.
type RevokeCertificateResponse struct {
	CaseID        string    `json:"case_id"`
	CertificateNo string    `json:"certificate_no"`
	RevokedAt     time.Time `json:"revoked_at"`
	Reason        string    `json:"reason"`
	Message       string    `json:"message"`
}

// revokeCertificate marks a case's certificate revoked, so the public check /verifikasi/<number>
// says so, and writes a certificate-revoked event with the reason and the actor to the case's
// timeline. A case outside the caller's scope is 404 like a missing one (the LSP manager revokes
// only its LSPs' certificates); 422 without a reason or a certificate; 409 with the date when it
// was revoked before. It is the read model's fact, not the journey's: the case's workflow (often
// closed by then) is not told.
func (s *Server) revokeCertificate(w http.ResponseWriter, r *http.Request) {
	var req RevokeCertificateRequest
	if !decode(w, r, &req) {
		return
	}
	req.Reason = strings.TrimSpace(req.Reason)
	switch {
	case req.Reason == "":
		writeError(w, r, http.StatusUnprocessableEntity, say("api.reason-revoke"), "reason: required to revoke a certificate (it lands in the case's timeline)")
		return
	case len(req.Reason) > maxNote:
		writeError(w, r, http.StatusUnprocessableEntity, say("api.too-long", "field", "reason", "max", strconv.Itoa(maxNote)), "reason: at most %d characters", maxNote)
		return
	}
	// The request check refuses other roles already; asked again here so that a server without
	// tokens (handler tests) and the pages' in-process calls refuse them too.
	if id, ok := IdentityFrom(r.Context()); ok && !id.May(auth.ActionRevokeCertificate) {
		refuseRole(w, r, id.Role, auth.ActionRevokeCertificate)
		return
	}
	actor := identityActor(r, req.Actor)
	if !checkActor(w, r, actor) {
		return
	}
	c, ok := s.readableCase(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	now := time.Now()
	number, err := s.Store.RevokeCaseCertificate(r.Context(), c.CaseID, now)
	var again *store.AlreadyRevokedError
	switch {
	case errors.As(err, &again):
		writeError(w, r, http.StatusConflict, say("api.already-revoked", "number", again.Number, "case", c.CaseID, "at", again.RevokedAt.UTC().Format(time.RFC3339)),
			"certificate %s of case %s was already revoked on %s",
			again.Number, c.CaseID, again.RevokedAt.UTC().Format(time.RFC3339))
		return
	case errors.Is(err, store.ErrNoCertificate):
		writeError(w, r, http.StatusUnprocessableEntity, say("api.no-certificate", "case", c.CaseID, "stage", string(c.Stage)), "case %s holds no certificate to revoke (stage %s)", c.CaseID, c.Stage)
		return
	case errors.Is(err, store.ErrNotFound):
		writeError(w, r, http.StatusNotFound, say("api.case-not-found", "case", c.CaseID), "case %s not found", c.CaseID)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	detail := fmt.Sprintf("certificate %s"+revokedReasonSep+"%s", number, req.Reason) // RevocationIn reads it back
	if err := s.Store.AppendEvent(r.Context(), opsEvent(c, EventCertificateRevoked, detail, actor, now)); err != nil {
		// The revocation stands (the public check says revoked); only its timeline entry is missing.
		s.fail(w, r, fmt.Errorf("certificate %s revoked, but the timeline entry was not recorded: %w", number, err))
		return
	}
	writeJSON(w, http.StatusOK, RevokeCertificateResponse{CaseID: c.CaseID, CertificateNo: number,
		RevokedAt: now.UTC(), Reason: req.Reason, Message: detail})
}
