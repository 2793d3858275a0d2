package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/bpvp-sidoarjo/kompeten/nik"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// CaseView is one case for display: the read-model row, the live workflow state when the
// journey answers, and the event log.
type CaseView struct {
	Case   store.Case           `json:"case"`
	State  *workflows.CaseState `json:"state,omitempty"`
	Events []store.Event        `json:"events"`
	// StateError says why the live state is missing (a closed journey past retention, an outage).
	StateError string `json:"state_error,omitempty"`
	// Unblock says who can move a stuck case on (absent when the case is not stuck).
	Unblock *workflows.Unblocker `json:"unblock,omitempty"`
	// Messages are the messages to the trainee (issue 18): milestone, channel, delivery status
	// and times, never the number or the text.
	Messages []store.Message `json:"messages"`
}

// listCases lists the cases in the caller's read scope (see readScope) matching the filters.
func (s *Server) listCases(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	scope, ok := scopedFilter(w, r, q.Get("centre"), q.Get("lsp"))
	if !ok {
		return
	}
	f := store.CaseFilter{
		Scope:       scope,
		PackageCode: q.Get("package"),
		CentreCode:  q.Get("centre"),
		LSPCode:     q.Get("lsp"),
		Stage:       vocab.Stage(q.Get("stage")),
		Status:      q.Get("status"),
		StuckOnly:   q.Get("stuck") == "true" || q.Get("stuck") == "1",
		Limit:       100,
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			writeError(w, r, http.StatusBadRequest, say("api.bad-number", "name", "limit", "min", "1", "max", "10000"), "limit must be a number between 1 and 10000")
			return
		}
		f.Limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, r, http.StatusBadRequest, say("api.bad-offset", "name", "offset"), "offset must be a non-negative number")
			return
		}
		f.Offset = n
	}
	format, ok := listFormat(w, r, "csv", "xlsx")
	if !ok {
		return
	}
	if format != "json" && q.Get("limit") == "" {
		f.Limit = 0 // an export takes every case in scope
		s.streamCases(w, r, format, f)
		return
	}
	page, err := s.casePage(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The answer stays an array for the scripts that read it; the total says whether it is all.
	w.Header().Set("X-Total-Count", strconv.Itoa(page.Total))
	if format != "json" {
		s.writeCasesCSV(w, r, format, page.Cases)
		return
	}
	writeJSON(w, http.StatusOK, page.Cases)
}

// getCase shows one case the caller may read; any other is 404 (see readableCase).
func (s *Server) getCase(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	c, ok := s.readableCase(w, r, id)
	if !ok {
		return
	}
	one := []store.Case{c}
	if err := s.attachPeople(r.Context(), one); err != nil {
		s.fail(w, r, err)
		return
	}
	view := CaseView{Case: one[0]}
	if c.Stuck {
		u := workflows.WhoUnblocks(c.StuckCode, c.WaitingOn, c.CentreCode, c.LSPCode)
		view.Unblock = &u
	}
	st, stateErr := s.Svc.State(r.Context(), id)
	if stateErr != nil {
		view.StateError = stateErr.Error()
	} else {
		view.State = &st
	}
	events, err := s.Store.CaseEvents(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view.Events = events
	if view.Messages, err = s.Store.CaseMessages(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Messages == nil {
		view.Messages = []store.Message{}
	}
	writeJSON(w, http.StatusOK, view)
}

// caseEvents serves the timeline of a case the caller may read; any other is 404.
func (s *Server) caseEvents(w http.ResponseWriter, r *http.Request) {
	format, ok := listFormat(w, r, "csv", "xlsx")
	if !ok {
		return
	}
	if _, ok := s.readableCase(w, r, r.PathValue("id")); !ok {
		return
	}
	ev, err := s.Store.CaseEvents(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ev == nil {
		ev = []store.Event{}
	}
	if format != "json" {
		s.writeEventsCSV(w, r, format, r.PathValue("id"), ev)
		return
	}
	writeJSON(w, http.StatusOK, ev)
}

// LookupRequest finds a person's cases by NIK; the NIK travels in the body, never in a URL,
// and is hashed before it is looked up.
type LookupRequest struct {
	NIK string `json:"nik"`
}

// lookupCases answers the cases of one person that the caller may read: a person's cases are
// few, so they are fetched by the NIK hash index and narrowed here. An answer never says that
// the person has cases elsewhere.
func (s *Server) lookupCases(w http.ResponseWriter, r *http.Request) {
	var req LookupRequest
	if !decode(w, r, &req) {
		return
	}
	n, err := nik.Normalize(req.NIK)
	if err != nil {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.bad-nik", "detail", err.Error()).wording("detail", err), "nik: %v", err)
		return
	}
	key, err := s.Svc.PersonKey(r.Context(), n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cs, err := s.Store.CasesByNIKHash(r.Context(), key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	visible := []store.Case{}
	for _, c := range cs {
		if mayRead(r.Context(), c) {
			visible = append(visible, c)
		}
	}
	if err := s.attachPeople(r.Context(), visible); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, visible)
}
