package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/nik"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// mayReadPeople says whether the caller sees the participants behind the cases it may read
// (name, masked NIK, age, phone): every person who acts on cases, within their scope, but not
// a read-only viewer token (dashboards, screens) nor a partner system. Without
// authentication (tests, an open dev server) everyone does.
func mayReadPeople(ctx context.Context) bool {
	id, ok := IdentityFrom(ctx)
	return !ok || (id.Role != vocab.RoleViewer && id.Role != vocab.RoleSystem)
}

// attachPeople fills Person on cases the caller may read, when its role allows.
func (s *Server) attachPeople(ctx context.Context, cs []store.Case) error {
	if !mayReadPeople(ctx) || len(cs) == 0 {
		return nil
	}
	return s.Store.AttachPeople(ctx, cs, time.Now().In(s.location()))
}

// location is where ages and dates are counted: the journey's time zone (WIB), else UTC.
func (s *Server) location() *time.Location {
	if s.Location != nil {
		return s.Location
	}
	return time.UTC
}

// SearchRequest finds cases by the person's name or full NIK, with the list filters. It
// travels as a POST body: names and NIKs are personal data and never go into a URL (or a log
// line that records URLs). The NIK is hashed before it is looked up.
type SearchRequest struct {
	// Name matches participants whose name holds these words in order, ignoring case.
	Name string `json:"name,omitempty"`
	// NIK is a full 16-digit NIK.
	NIK     string      `json:"nik,omitempty"`
	Package string      `json:"package,omitempty"`
	Centre  string      `json:"centre,omitempty"`
	LSP     string      `json:"lsp,omitempty"`
	Stage   vocab.Stage `json:"stage,omitempty"`
	Status  string      `json:"status,omitempty"`
	Stuck   bool        `json:"stuck,omitempty"`
	// Limit is the page size (default 50, at most 1000); Offset the cases skipped.
	Limit  int `json:"limit,omitempty"`
	Offset int `json:"offset,omitempty"`
}

// CasePage is one page of a case list and how many cases match in all, so that no list is
// cut without saying so.
type CasePage struct {
	Total  int          `json:"total"`
	Limit  int          `json:"limit"`
	Offset int          `json:"offset"`
	Cases  []store.Case `json:"cases"`
}

// searchCases answers POST /api/v1/cases/search: a page of the cases in the caller's scope
// matching the filters, the name and the NIK, with the total.
func (s *Server) searchCases(w http.ResponseWriter, r *http.Request) {
	var req SearchRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Limit == 0 {
		req.Limit = 50
	}
	if req.Limit < 1 || req.Limit > 1000 || req.Offset < 0 {
		writeError(w, r, http.StatusBadRequest, say("api.bad-page", "max", "1000"), "limit must be between 1 and 1000 and offset not negative")
		return
	}
	if len(req.Name) > 200 {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.too-long", "field", "name", "max", "200"), "name: at most 200 characters")
		return
	}
	scope, ok := scopedFilter(w, r, req.Centre, req.LSP)
	if !ok {
		return
	}
	f := store.CaseFilter{Scope: scope, PackageCode: req.Package, CentreCode: req.Centre, LSPCode: req.LSP,
		Stage: req.Stage, Status: req.Status, StuckOnly: req.Stuck, Name: strings.TrimSpace(req.Name),
		Limit: req.Limit, Offset: req.Offset}
	if (f.Name != "" || req.NIK != "") && !mayReadPeople(r.Context()) {
		writeError(w, r, http.StatusForbidden, say("api.viewer-search"), "a viewer may not search by name or NIK")
		return
	}
	if req.NIK != "" {
		n, err := nik.Normalize(req.NIK)
		if err != nil {
			writeError(w, r, http.StatusUnprocessableEntity, say("api.bad-nik", "detail", err.Error()).wording("detail", err), "nik: %v", err)
			return
		}
		if f.NIKHash, err = s.Svc.PersonKey(r.Context(), n); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	page, err := s.casePage(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// casePage lists one page of f with the total and the people behind the cases.
func (s *Server) casePage(ctx context.Context, f store.CaseFilter) (CasePage, error) {
	total, err := s.Store.CountCases(ctx, f)
	if err != nil {
		return CasePage{}, err
	}
	cs, err := s.Store.ListCases(ctx, f)
	if err != nil {
		return CasePage{}, err
	}
	if cs == nil {
		cs = []store.Case{}
	}
	if err := s.attachPeople(ctx, cs); err != nil {
		return CasePage{}, err
	}
	return CasePage{Total: total, Limit: f.Limit, Offset: f.Offset, Cases: cs}, nil
}

// personColumns are the people columns the CSV exports append (empty for a viewer).
var personColumns = []string{"name", "nik_masked", "age", "phone"}

// personCells renders a case's person for a CSV row.
func personCells(p *store.Person) []string {
	if p == nil {
		return []string{"", "", "", ""}
	}
	age := ""
	if p.BirthDate != nil {
		age = strconv.Itoa(p.Age)
	}
	return []string{p.Name, p.NIKMasked, age, p.Phone}
}
