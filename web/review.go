package web

import (
	"net/http"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Staff's review of what a case reports to the outside (issue 18): a graduate's self-reported
// placement to confirm (a correction goes through the follow-up form, POST
// /cases/{id}/placement), and an issued certificate to revoke. Both forms are on the case page;
// the confirmation is on /followups too.

// reviewActions are the review forms with the action each asks for (may asks auth's policy).
var reviewActions = map[string]auth.Action{
	"confirm-placement":  auth.Action(workflows.UpdateConfirmPlacement),
	"revoke-certificate": auth.ActionRevokeCertificate,
}

// reviewRoutes adds the review forms.
func (s *Server) reviewRoutes(forms map[string]http.HandlerFunc) {
	forms["POST /cases/{id}/placement/confirm"] = s.confirmPlacement
	forms["POST /cases/{id}/certificate/revoke"] = s.revokeCertificate
}

// confirmPlacement sends the confirmation of a self-reported placement (POST
// /api/v1/cases/{id}/placement/confirm, `kompeten placement confirm`); the journey's answer or
// refusal comes back on the page the form was on.
func (s *Server) confirmPlacement(w http.ResponseWriter, r *http.Request) {
	a, ok := s.actor(w, r, vocab.RoleCentreAdmin)
	if !ok {
		return
	}
	id := r.PathValue("id")
	res, err := s.api.ConfirmPlacement(r.Context(), id, workflows.PlacementConfirmation{Actor: a, Note: strings.TrimSpace(r.PostFormValue("note"))})
	s.answer(w, r, id+": "+res.Message, err)
}

// revokeCertificate revokes the case's certificate through the API's revocation (POST
// /api/v1/cases/{id}/certificate/revoke, `kompeten certificate revoke`). The form asks for a
// reason and a ticked confirmation; without the tick nothing is sent, since a revocation cannot
// be undone.
func (s *Server) revokeCertificate(w http.ResponseWriter, r *http.Request) {
	a, ok := s.actor(w, r, vocab.RoleLSPManager)
	if !ok {
		return
	}
	id := r.PathValue("id")
	if r.PostFormValue("confirm") != "yes" {
		setFlash(w, false, both(id+": centang konfirmasi untuk mencabut sertifikat", id+": tick the confirmation to revoke the certificate"))
		http.Redirect(w, r, back(r), http.StatusSeeOther)
		return
	}
	res, err := s.api.RevokeCertificate(r.Context(), id, api.RevokeCertificateRequest{Reason: strings.TrimSpace(r.PostFormValue("reason")), Actor: a})
	s.answer(w, r, id+": "+res.Message, err)
}
