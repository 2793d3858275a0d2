package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// setActor remembers the name a person acts under, on this browser, for a year.
func (s *Server) setActor(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.FormValue("name"))
	if name == "" || len(name) > 64 {
		setFlash(w, false, both("Isi nama Anda (maks. 64 karakter)", "Enter your name (at most 64 characters)"))
	} else {
		http.SetCookie(w, &http.Cookie{Name: actorCookie, Value: url.QueryEscape(name), Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
		setFlash(w, true, both("Anda bertindak sebagai "+name, "You act as "+name))
	}
	http.Redirect(w, r, back(r), http.StatusSeeOther)
}

// actor is who acts in a form post: the logged-in identity when there is one (the API checks
// its role), else the name from the cookie in the action's role; without either the action is
// refused with a hint.
func (s *Server) actor(w http.ResponseWriter, r *http.Request, role vocab.Role) (workflows.Actor, bool) {
	if id, ok := api.IdentityFrom(r.Context()); ok {
		return workflows.Actor{ID: id.Name, Role: id.Role}, true
	}
	name := actorName(r)
	if name == "" {
		setFlash(w, false, both("Isi nama Anda dulu (di atas)", "Enter your name first (above)"))
		http.Redirect(w, r, back(r), http.StatusSeeOther)
		return workflows.Actor{}, false
	}
	return workflows.Actor{ID: name, Role: role}, true
}

// answer turns the API's reply into a flash and returns to the page the form was on.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, msg string, err error) {
	var ae *apiclient.Error
	switch {
	case err == nil:
		setFlash(w, true, msg)
	case errors.As(err, &ae):
		setFlash(w, false, ae.Say())
	default:
		s.opts.Logger.Error("page action", "path", r.URL.Path, "error", err)
		setFlash(w, false, both("galat internal; lihat log server", "internal error; see the server log"))
	}
	http.Redirect(w, r, back(r), http.StatusSeeOther)
}

func (s *Server) retry(w http.ResponseWriter, r *http.Request) {
	a, ok := s.actor(w, r, vocab.RoleOperator)
	if !ok {
		return
	}
	id := r.PathValue("id")
	res, err := s.api.RetryCase(r.Context(), id, api.RetryRequest{Actor: a})
	s.answer(w, r, id+": "+res.Message, err)
}

func (s *Server) escalate(w http.ResponseWriter, r *http.Request) {
	a, ok := s.actor(w, r, vocab.RoleOperator)
	if !ok {
		return
	}
	id := r.PathValue("id")
	note := strings.TrimSpace(r.FormValue("note"))
	res, err := s.api.EscalateCase(r.Context(), id, api.EscalateRequest{Actor: a, Note: note})
	s.answer(w, r, bothOf(func(rd i18n.Reader) string { return escalationNotice(rd, id, res.To, note) }), err)
}

// escalationNotice words the answer to an escalation from the catalogue: to whom it went and what
// they do (the unblocker's code; its English action when the answer names no code).
func escalationNotice(rd i18n.Reader, id string, to workflows.Unblocker, note string) string {
	action := to.Action
	if text, ok := rd.Lookup(to.Code, nil); ok && to.Code != "" {
		action = text
	}
	return rd.Tf("escalation.done", "case", id, "role", string(to.Role), "scope", to.Scope, "action", action, "note", note)
}

// decisionRoles is who answers each decision from the pages.
var decisionRoles = map[string]vocab.Role{"enrolment": vocab.RoleCentreAdmin, "certification": vocab.RoleLSPManager}

// decide approves or rejects an enrolment or a certification.
func (s *Server) decide(w http.ResponseWriter, r *http.Request) {
	kind := r.FormValue("kind")
	role, known := decisionRoles[kind]
	if !known {
		http.Error(w, "kind must be enrolment or certification", http.StatusBadRequest)
		return
	}
	a, ok := s.actor(w, r, role)
	if !ok {
		return
	}
	id := r.PathValue("id")
	approve := r.FormValue("approve") == "yes"
	reason := strings.TrimSpace(r.FormValue("reason"))
	var res workflows.UpdateResult
	var err error
	if kind == "enrolment" && approve && r.FormValue("rules") == "failed" && (r.FormValue("override") != "yes" || reason == "") {
		// The check found rules not met: the page asks for a confirmation and a reason.
		setFlash(w, false, both(id+": aturan belum terpenuhi; centang konfirmasi dan isi alasan", id+": rules not met: tick the confirmation and give a reason"))
		http.Redirect(w, r, back(r), http.StatusSeeOther)
		return
	}
	if kind == "enrolment" {
		// A full package refuses the approval with the count (the same words as the CLI's);
		// the form can ask for the waiting list, or (a coordinator) a seat over capacity.
		res, err = s.api.DecideEnrolment(r.Context(), id, workflows.EnrolmentDecision{
			Actor: a, Approve: approve, Reason: reason,
			Waitlist: r.FormValue("seat") == "waitlist", OverCapacity: r.FormValue("seat") == "over-capacity",
		})
	} else {
		res, err = s.api.DecideCertification(r.Context(), id, workflows.CertificationDecision{Actor: a, Approve: approve, Reason: reason})
	}
	s.answer(w, r, id+": "+res.Message, err)
}

// waysOut maps the refusal form's kind onto the client's call and the role that usually takes
// it (the API checks the logged-in person's role).
var waysOut = map[string]struct {
	send func(*apiclient.Client, context.Context, string, workflows.RefusalDecision) (workflows.UpdateResult, error)
	role vocab.Role
}{
	"retry":    {(*apiclient.Client).RetryRefused, vocab.RoleLSPManager},
	"reassess": {(*apiclient.Client).OrderReassessment, vocab.RoleLSPManager},
	"skip":     {(*apiclient.Client).CloseUncertified, vocab.RoleCoordinator},
}

// wayOut takes a way out of an LSP's refusal from the inbox: retry the refused request,
// re-assess units (space- or comma-separated, none meaning every unit of the scheme), or go on
// without a certificate.
func (s *Server) wayOut(w http.ResponseWriter, r *http.Request) {
	way, known := waysOut[r.FormValue("kind")]
	if !known {
		http.Error(w, "kind must be retry, reassess or skip", http.StatusBadRequest)
		return
	}
	a, ok := s.actor(w, r, way.role)
	if !ok {
		return
	}
	id := r.PathValue("id")
	d := workflows.RefusalDecision{Actor: a, Reason: strings.TrimSpace(r.FormValue("reason")),
		Units: strings.FieldsFunc(r.FormValue("units"), func(c rune) bool { return c == ',' || c == ' ' })}
	res, err := way.send(s.api, r.Context(), id, d)
	s.answer(w, r, id+": "+res.Message, err)
}
