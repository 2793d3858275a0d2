package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The actor of every agreement change is the authenticated token's identity (an actor in the
// body counts only when the API runs without tokens, in handler tests): the service signs that
// actor, and the workers refuse an agreement update whose claim was not signed.

// MoU numbers carry slashes ("MOU/BPVP-SDA/LSP-BLK-SBY/2023"): a client escapes them (%2F) in
// the path, and the router hands back the number whole.

// mouRoutes registers the agreement endpoints (MoUs and PKS) and the coverage queries.
func (s *Server) mouRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/mous", s.listMoUs)
	mux.HandleFunc("POST /api/v1/mous", s.createMoU)
	mux.HandleFunc("GET /api/v1/mous/{number}", s.getMoU)
	mux.HandleFunc("POST /api/v1/mous/{number}/sign", s.signMoU)
	mux.HandleFunc("POST /api/v1/mous/{number}/amend", s.amendMoU)
	mux.HandleFunc("POST /api/v1/mous/{number}/renew", s.renewMoU)
	mux.HandleFunc("POST /api/v1/mous/{number}/terminate", s.terminateMoU)
	mux.HandleFunc("GET /api/v1/coverage", s.coverage)
	mux.HandleFunc("GET /api/v1/coverage/certifiers", s.certifiers)
}

// MoURequest creates an MoU or a PKS: a draft, or signed at once when signed_on is given.
// Dates are YYYY-MM-DD (DD-MM-YYYY, "today" and "+30d" also work).
type MoURequest struct {
	Number      string          `json:"number"`
	Kind        string          `json:"kind,omitempty"`    // mou (default) | pks
	Parent      string          `json:"parent,omitempty"`  // for a PKS
	Partner     string          `json:"partner,omitempty"` // for a PKS: its MoU's when empty
	Title       string          `json:"title,omitempty"`
	ValidFrom   string          `json:"valid_from"`
	ValidUntil  string          `json:"valid_until"`
	Centres     []string        `json:"centres,omitempty"`
	Schemes     []string        `json:"schemes,omitempty"`
	TestSites   []string        `json:"test_sites,omitempty"`
	SignedOn    string          `json:"signed_on,omitempty"`
	Signatories []string        `json:"signatories,omitempty"`
	Actor       workflows.Actor `json:"actor"`
}

// MoUSignRequest signs a draft; valid_from/valid_until replace the drafted window when given.
type MoUSignRequest struct {
	Actor       workflows.Actor `json:"actor"`
	SignedOn    string          `json:"signed_on"`
	Signatories []string        `json:"signatories"`
	ValidFrom   string          `json:"valid_from,omitempty"`
	ValidUntil  string          `json:"valid_until,omitempty"`
}

// MoUAmendRequest is an addendum: a new end date and/or new scope lists (an empty list means
// all; an absent one is kept).
type MoUAmendRequest struct {
	Actor      workflows.Actor `json:"actor"`
	Ref        string          `json:"ref,omitempty"`
	Note       string          `json:"note,omitempty"`
	ValidUntil string          `json:"valid_until,omitempty"`
	Centres    *[]string       `json:"centres,omitempty"`
	Schemes    *[]string       `json:"schemes,omitempty"`
	TestSites  *[]string       `json:"test_sites,omitempty"`
}

// MoURenewRequest signs a successor; absent scope lists keep the old agreement's.
type MoURenewRequest struct {
	Actor       workflows.Actor `json:"actor"`
	Successor   string          `json:"successor"`
	Title       string          `json:"title,omitempty"`
	SignedOn    string          `json:"signed_on"`
	Signatories []string        `json:"signatories"`
	ValidFrom   string          `json:"valid_from"`
	ValidUntil  string          `json:"valid_until"`
	Centres     *[]string       `json:"centres,omitempty"`
	Schemes     *[]string       `json:"schemes,omitempty"`
	TestSites   *[]string       `json:"test_sites,omitempty"`
	Parent      string          `json:"parent,omitempty"` // for a PKS: a new MoU to sit under
}

// MoUTerminateRequest ends an agreement early: today, or from the day `on`. An agreement that
// live cases depend on is refused (409, naming their count and the first of them) unless
// force is true.
type MoUTerminateRequest struct {
	Actor  workflows.Actor `json:"actor"`
	On     string          `json:"on,omitempty"`
	Reason string          `json:"reason"`
	Force  bool            `json:"force,omitempty"`
}

// MoUActionResponse is the agreement's answer to a change.
type MoUActionResponse struct {
	Number  string `json:"number"`
	Message string `json:"message"`
}

func (s *Server) listMoUs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	live, _ := strconv.ParseBool(q.Get("live"))
	vs, err := s.Svc.Agreements(r.Context(), store.AgreementFilter{
		PartnerCode: q.Get("partner"), Kind: q.Get("kind"), Parent: q.Get("parent"), Status: q.Get("status"), LiveOnly: live,
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if vs == nil {
		vs = []starter.AgreementView{}
	}
	writeJSON(w, http.StatusOK, vs)
}

func (s *Server) getMoU(w http.ResponseWriter, r *http.Request) {
	d, err := s.Svc.Agreement(r.Context(), r.PathValue("number"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) createMoU(w http.ResponseWriter, r *http.Request) {
	var req MoURequest
	if !decode(w, r, &req) {
		return
	}
	req.Actor = identityActor(r, req.Actor)
	d := s.dates(w, r)
	n := starter.NewAgreement{Number: req.Number, Kind: req.Kind, Parent: req.Parent, PartnerCode: req.Partner,
		Title: req.Title, ValidFrom: d.req("valid_from", req.ValidFrom), ValidUntil: d.req("valid_until", req.ValidUntil),
		Scope: workflows.Scope{Centres: req.Centres, Schemes: req.Schemes, TestSites: req.TestSites}, Actor: req.Actor}
	if req.SignedOn != "" || len(req.Signatories) > 0 {
		n.Sign = &workflows.SignRequest{Actor: req.Actor, SignedOn: d.req("signed_on", req.SignedOn), Signatories: req.Signatories}
	}
	if d.failed() {
		return
	}
	if !requireMoURole(w, r, req.Actor) {
		return
	}
	a, err := s.Svc.CreateAgreement(r.Context(), n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) signMoU(w http.ResponseWriter, r *http.Request) {
	var req MoUSignRequest
	if !decode(w, r, &req) {
		return
	}
	req.Actor = identityActor(r, req.Actor)
	d := s.dates(w, r)
	sr := workflows.SignRequest{Actor: req.Actor, SignedOn: d.req("signed_on", req.SignedOn), Signatories: req.Signatories,
		ValidFrom: d.opt("valid_from", req.ValidFrom), ValidUntil: d.opt("valid_until", req.ValidUntil)}
	if d.failed() {
		return
	}
	s.mouAction(w, r, func(number string) (string, error) { return s.Svc.SignAgreement(r.Context(), number, sr) })
}

func (s *Server) amendMoU(w http.ResponseWriter, r *http.Request) {
	var req MoUAmendRequest
	if !decode(w, r, &req) {
		return
	}
	req.Actor = identityActor(r, req.Actor)
	d := s.dates(w, r)
	a := workflows.Amendment{Actor: req.Actor, Ref: req.Ref, Note: req.Note, ValidUntil: d.opt("valid_until", req.ValidUntil),
		Centres: req.Centres, Schemes: req.Schemes, TestSites: req.TestSites}
	if d.failed() {
		return
	}
	s.mouAction(w, r, func(number string) (string, error) { return s.Svc.AmendAgreement(r.Context(), number, a) })
}

func (s *Server) renewMoU(w http.ResponseWriter, r *http.Request) {
	var req MoURenewRequest
	if !decode(w, r, &req) {
		return
	}
	req.Actor = identityActor(r, req.Actor)
	d := s.dates(w, r)
	rr := workflows.RenewRequest{Actor: req.Actor, Successor: strings.TrimSpace(req.Successor), Title: req.Title,
		SignedOn: d.req("signed_on", req.SignedOn), Signatories: req.Signatories,
		ValidFrom: d.req("valid_from", req.ValidFrom), ValidUntil: d.req("valid_until", req.ValidUntil), Parent: req.Parent}
	if d.failed() {
		return
	}
	s.mouAction(w, r, func(number string) (string, error) {
		if req.Centres != nil || req.Schemes != nil || req.TestSites != nil {
			cur, err := s.Store.GetAgreement(r.Context(), number)
			if err != nil {
				return "", err
			}
			sc := workflows.Scope{Centres: cur.Centres, Schemes: cur.Schemes, TestSites: cur.TestSites}
			for _, c := range []struct{ to, from *[]string }{{req.Centres, &sc.Centres}, {req.Schemes, &sc.Schemes}, {req.TestSites, &sc.TestSites}} {
				if c.to != nil {
					*c.from = *c.to
				}
			}
			rr.Scope = &sc
		}
		return s.Svc.RenewAgreement(r.Context(), number, rr)
	})
}

func (s *Server) terminateMoU(w http.ResponseWriter, r *http.Request) {
	var req MoUTerminateRequest
	if !decode(w, r, &req) {
		return
	}
	req.Actor = identityActor(r, req.Actor)
	d := s.dates(w, r)
	t := workflows.Termination{Actor: req.Actor, On: d.opt("on", req.On), Reason: req.Reason}
	if d.failed() {
		return
	}
	s.mouAction(w, r, func(number string) (string, error) {
		return s.Svc.TerminateAgreement(r.Context(), number, t, req.Force)
	})
}

func (s *Server) mouAction(w http.ResponseWriter, r *http.Request, do func(number string) (string, error)) {
	number := r.PathValue("number")
	msg, err := do(number)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, MoUActionResponse{Number: number, Message: msg})
}

// requireMoURole refuses a create by someone who may not sign agreements; changes to an existing
// agreement are checked by its workflow.
func requireMoURole(w http.ResponseWriter, r *http.Request, a workflows.Actor) bool {
	if strings.TrimSpace(a.ID) == "" || !auth.Allowed(a.Role, auth.ActionCreateAgreement) {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.agreement-actor", "roles", roleLabels(r, auth.RolesFor(auth.ActionCreateAgreement), " / ")),
			"actor: an id and the role %s are required",
			strings.Join(vocab.Strings(auth.RolesFor(auth.ActionCreateAgreement)), " or "))
		return false
	}
	return true
}

// coverage answers "which active agreement lets centre C use partner P (for scheme S) on day D".
func (s *Server) coverage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("partner") == "" || q.Get("centre") == "" {
		writeError(w, r, http.StatusBadRequest, say("api.coverage-params"), "partner and centre are required (scheme and on are optional)")
		return
	}
	d := s.dates(w, r)
	on := d.orToday("on", q.Get("on"))
	if d.failed() {
		return
	}
	a, err := s.Svc.Coverage(r.Context(), q.Get("partner"), q.Get("centre"), q.Get("scheme"), on)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// certifiers answers "which LSP may assess scheme S for centre C on day D".
func (s *Server) certifiers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("centre") == "" || q.Get("scheme") == "" {
		writeError(w, r, http.StatusBadRequest, say("api.certifiers-params"), "centre and scheme are required (on is optional)")
		return
	}
	d := s.dates(w, r)
	on := d.orToday("on", q.Get("on"))
	if d.failed() {
		return
	}
	as, err := s.Svc.Certifiers(r.Context(), q.Get("centre"), q.Get("scheme"), on)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if as == nil {
		as = []store.Agreement{}
	}
	writeJSON(w, http.StatusOK, as)
}

// dateReader parses the date fields of one request, collecting every problem.
type dateReader struct {
	w        http.ResponseWriter
	r        *http.Request
	loc      *time.Location
	problems []string
	// words are the problems as catalogue messages, one for each.
	words []i18n.Message
}

func (s *Server) dates(w http.ResponseWriter, r *http.Request) *dateReader {
	return &dateReader{w: w, r: r, loc: s.Svc.Location()}
}

func (d *dateReader) req(field, v string) time.Time {
	if strings.TrimSpace(v) == "" {
		d.problem(i18n.M("date.required", "field", field))
		return time.Time{}
	}
	t, err := ParseDay(v, time.Now().In(d.loc))
	if err != nil {
		m, ok := i18n.WordsOf(err)
		if !ok {
			m = i18n.M("row.error", "error", err.Error()) // not one of ParseDay's: its English
		}
		d.problem(i18n.M("date.field", "field", field).With("problem", m))
	}
	return t
}

// problem notes one problem, in English and as its message.
func (d *dateReader) problem(m i18n.Message) {
	d.problems, d.words = append(d.problems, m.English()), append(d.words, m)
}

func (d *dateReader) opt(field, v string) *time.Time {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	t := d.req(field, v)
	return &t
}

func (d *dateReader) orToday(field, v string) time.Time {
	if strings.TrimSpace(v) == "" {
		v = "today"
	}
	return d.req(field, v)
}

// failed answers 422 with every date problem, if there was one.
func (d *dateReader) failed() bool {
	if len(d.problems) == 0 {
		return false
	}
	// Each problem worded in the reader's language, joined as the English is.
	rd := readerOf(d.r)
	worded := make([]string, len(d.words))
	for i, m := range d.words {
		worded[i] = m.In(rd)
	}
	writeError(d.w, d.r, http.StatusUnprocessableEntity, say("api.bad-dates", "detail", strings.Join(worded, "; ")), "%s", strings.Join(d.problems, "; "))
	return true
}

// ParseDay reads a calendar day: YYYY-MM-DD, DD-MM-YYYY, "today", or "+Nd"/"-Nd" days from
// today (today as seen in now's location). The day comes back as midnight UTC. Its errors are
// worded by the catalogue (*i18n.Error), so the API answers them in the reader's language.
func ParseDay(v string, now time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if v == "today" {
		return today, nil
	}
	if (strings.HasPrefix(v, "+") || strings.HasPrefix(v, "-")) && strings.HasSuffix(v, "d") {
		n, err := strconv.Atoi(v[:len(v)-1])
		if err != nil {
			return time.Time{}, i18n.Errorm("date.days-bad", "value", strconv.Quote(v))
		}
		return today.AddDate(0, 0, n), nil
	}
	for _, layout := range []string{"2006-01-02", "02-01-2006", "02/01/2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, i18n.Errorm("date.day-bad", "value", strconv.Quote(v))
}
