package simulator

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/partners/lsp"
)

// LSP simulates a certification body's API as spoken by partners/lsp. It is an http.Handler and
// safe for concurrent use.
type LSP struct {
	*core
	mux       *http.ServeMux
	code      string
	tuk       string
	assessors []string
	schemes   []string
	units     map[string][]string // SchemeUnits; nil: made-up units

	// All below guarded by core.mu.
	lead, delay  time.Duration
	bkRate       float64
	unitCount    int
	refusing     map[string]string         // candidate ref → why certificates are refused (RefuseCertificates)
	byKey        map[string]*lspAssessment // by idempotency key
	byID         map[string]*lspAssessment
	certs        map[string]partners.Certificate // by idempotency key
	certByAssess map[string]partners.Certificate // one certificate per assessment, whatever the key
	assessNew    map[string]int                  // assessments created per key
	certNew      map[string]int                  // certificates created per key
	schedCalls   map[string]int
	certCalls    map[string]int
	resultCalls  int
	nextAssess   int // in memory only; a persistent simulator numbers from sim_counters
	nextCert     int
	// mistakes are certificate numbers to hand out by mistake, one per new certificate
	// (HandOutNext).
	mistakes []string
}

// lspAssessment is one scheduled assessment.
type lspAssessment struct {
	sched          partners.Schedule
	scheme, ref    string
	name           string
	units          []string
	availableAfter time.Time
	result         *partners.AssessmentResult // fixed when first read, so a rate change cannot rewrite it
}

// OpenLSP returns a certification body simulator that keeps its state in PostgreSQL (the sim_
// tables of store/migrations, migrated by the caller): it starts with the assessments (and the
// results already given), certificates and outages it had, and numbers on from where it stopped.
func OpenLSP(ctx context.Context, cfg LSPConfig, pool *pgxpool.Pool) (*LSP, error) {
	s := NewLSP(cfg)
	p := &persistence{pool: pool, name: "lsp/" + s.code}
	if err := p.loadLSP(ctx, s); err != nil {
		return nil, err
	}
	if err := s.open(ctx, p); err != nil {
		return nil, err
	}
	return s, nil
}

// NewLSP returns a certification body simulator that keeps its state in memory only.
func NewLSP(cfg LSPConfig) *LSP {
	if cfg.Code == "" {
		cfg.Code = "LSP-SIM"
	}
	if cfg.TUK == "" {
		cfg.TUK = "TUK Sewaktu " + cfg.Code
	}
	if len(cfg.Assessors) == 0 {
		cfg.Assessors = []string{"Asesor Budi Santoso", "Asesor Siti Rahayu", "Asesor Agus Prasetyo"}
	}
	if cfg.Units <= 0 {
		cfg.Units = 5
	}
	s := &LSP{
		core: newCore("LSP", cfg.Config), mux: http.NewServeMux(),
		code: cfg.Code, tuk: cfg.TUK, assessors: cfg.Assessors, schemes: cfg.Schemes, units: cfg.SchemeUnits,
		lead: cfg.ScheduleLead, delay: cfg.ResultDelay, bkRate: cfg.BKRate, unitCount: cfg.Units, refusing: map[string]string{},
		byKey: map[string]*lspAssessment{}, byID: map[string]*lspAssessment{},
		certs: map[string]partners.Certificate{}, certByAssess: map[string]partners.Certificate{},
		assessNew: map[string]int{}, certNew: map[string]int{},
		schedCalls: map[string]int{}, certCalls: map[string]int{},
	}
	s.mux.HandleFunc("POST /v1/assessments", s.handleSchedule)
	s.mux.HandleFunc("GET /v1/assessments/{id}/result", s.handleResult)
	s.mux.HandleFunc("POST /v1/certificates", s.handleIssue)
	s.mux.HandleFunc("POST /sim/mistake", handleMistake(s.HandOutNext))
	s.mountControl(s.mux)
	s.mux.HandleFunc("POST /sim/refusals", s.handleRefuse)
	s.mux.HandleFunc("DELETE /sim/refusals/{ref}", s.handleStopRefusing)
	s.mux.HandleFunc("GET /sim/config", s.handleGetConfig)
	s.mux.HandleFunc("POST /sim/config", s.handleSetConfig)
	s.mux.HandleFunc("GET /sim/stats", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Stats())
	})
	return s
}

// ServeHTTP implements http.Handler.
func (s *LSP) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// schemeUnits lists the unit codes of scheme, and whether the LSP offers it. Immutable after
// NewLSP, so no lock is needed.
func (s *LSP) schemeUnits(scheme string) ([]string, bool) {
	if s.units != nil {
		us, ok := s.units[scheme]
		return us, ok && len(us) > 0
	}
	units := make([]string, s.unitCount)
	for i := range units {
		units[i] = fmt.Sprintf("%s.U%02d", scheme, i+1)
	}
	return units, true
}

func (s *LSP) handleSchedule(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	s.schedCalls[key]++
	s.mu.Unlock()

	lost, ok := s.gate(w, r)
	if !ok {
		return
	}
	if key == "" {
		writeError(w, http.StatusBadRequest, "missing_idempotency_key", "Idempotency-Key header is required")
		return
	}
	var req lsp.AssessmentRequest
	if err := readJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, seen := s.byKey[key]; seen {
		answer(w, lost, http.StatusOK, prev.sched)
		return
	}
	if req.Scheme == "" || req.CandidateRef == "" || req.CandidateName == "" {
		writeError(w, http.StatusBadRequest, "invalid_request", "scheme, candidate_ref and candidate_name are required")
		return
	}
	all, offered := s.schemeUnits(req.Scheme)
	if !offered || len(s.schemes) > 0 && !slices.Contains(s.schemes, req.Scheme) {
		writeError(w, http.StatusUnprocessableEntity, "scheme_not_offered", "this LSP does not offer the scheme")
		return
	}
	units := all
	if len(req.Units) > 0 {
		for _, u := range req.Units {
			if !slices.Contains(all, u) {
				writeError(w, http.StatusUnprocessableEntity, "unknown_unit", "unit "+u+" is not part of the scheme")
				return
			}
		}
		units = slices.Clone(req.Units)
	}
	if s.fraction("schedule", key, req.CandidateRef, req.CandidateName, req.Scheme) < s.cfg.DataErrorRate {
		writeError(w, http.StatusUnprocessableEntity, "candidate_rejected",
			"candidate data incomplete: identity or portfolio does not match the registration")
		return
	}

	start := s.now()
	if req.NotBefore.After(start) {
		start = req.NotBefore
	}
	date := start.Add(s.lead)
	a := &lspAssessment{
		sched:  partners.Schedule{Date: date, TUK: s.tuk},
		scheme: req.Scheme, ref: req.CandidateRef, name: req.CandidateName, units: units,
		availableAfter: date.Add(s.delay),
	}
	number := func(n int) {
		a.sched.AssessmentID = fmt.Sprintf("ASM-%06d", n)
		a.sched.Assessor = s.assessors[(n-1)%len(s.assessors)]
	}
	if s.db != nil {
		if err := s.db.saveAssessment(key, a, number); err != nil {
			writeError(w, http.StatusServiceUnavailable, "unavailable", "assessment not recorded; try again")
			return
		}
	} else {
		s.nextAssess++
		number(s.nextAssess)
	}
	s.byKey[key] = a
	s.byID[a.sched.AssessmentID] = a
	s.assessNew[key]++
	answer(w, lost, http.StatusCreated, a.sched)
}

func (s *LSP) handleResult(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.resultCalls++
	s.mu.Unlock()
	lost, ok := s.gate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, known := s.byID[r.PathValue("id")]
	if !known {
		writeError(w, http.StatusNotFound, lsp.CodeAssessmentNotFound, "no assessment with this id")
		return
	}
	if s.now().Before(a.availableAfter) {
		answer(w, lost, http.StatusAccepted, lsp.PendingBody{Status: "pending", AvailableAfter: a.availableAfter})
		return
	}
	res, err := s.result(a)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "unavailable", "result not recorded; try again")
		return
	}
	answer(w, lost, http.StatusOK, res)
}

// result is the assessor's recommendation for a: per unit, BK with probability bkRate, decided by
// a hash of seed, assessment and unit, and kept once made (written first when persistent). The
// caller holds s.mu.
func (s *LSP) result(a *lspAssessment) (partners.AssessmentResult, error) {
	if a.result != nil {
		return *a.result, nil
	}
	res := partners.AssessmentResult{AssessmentID: a.sched.AssessmentID, Assessor: a.sched.Assessor}
	for _, u := range a.units {
		v := "K"
		if s.fraction("result", a.sched.AssessmentID, u) < s.bkRate {
			v = "BK"
		}
		res.Units = append(res.Units, partners.UnitResult{Unit: u, Result: v})
	}
	if s.db != nil {
		if err := s.db.saveResult(a.sched.AssessmentID, res); err != nil {
			return res, err
		}
	}
	a.result = &res
	return res, nil
}

func (s *LSP) handleIssue(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	s.certCalls[key]++
	s.mu.Unlock()

	lost, ok := s.gate(w, r)
	if !ok {
		return
	}
	if key == "" {
		writeError(w, http.StatusBadRequest, "missing_idempotency_key", "Idempotency-Key header is required")
		return
	}
	var req lsp.IssueRequest
	if err := readJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, seen := s.certs[key]; seen {
		answer(w, lost, http.StatusOK, prev)
		return
	}
	if why, refused := s.refusing[req.CandidateRef]; refused {
		writeError(w, http.StatusUnprocessableEntity, "record_refused", why)
		return
	}
	a, known := s.byID[req.AssessmentID]
	switch {
	case !known:
		writeError(w, http.StatusUnprocessableEntity, lsp.CodeAssessmentNotFound, "no assessment with this id")
		return
	case req.Scheme != "" && req.Scheme != a.scheme:
		writeError(w, http.StatusUnprocessableEntity, "scheme_mismatch", "the assessment was for another scheme")
		return
	case req.CandidateRef != a.ref:
		writeError(w, http.StatusUnprocessableEntity, "candidate_mismatch", "the assessment was for another candidate")
		return
	case s.now().Before(a.availableAfter):
		writeError(w, http.StatusConflict, lsp.CodeResultPending, "the assessment has no result yet")
		return
	}
	res, err := s.result(a)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "unavailable", "result not recorded; try again")
		return
	}
	for _, u := range res.Units {
		if u.Result != "K" {
			writeError(w, http.StatusUnprocessableEntity, "not_competent", "unit "+u.Unit+" is BK: no certificate")
			return
		}
	}
	// One certificate per assessment: a second request under a new key gets the first certificate.
	if prev, issued := s.certByAssess[a.sched.AssessmentID]; issued {
		if s.db != nil {
			if err := s.db.saveCertificate(key, a.sched.AssessmentID, &prev, certRepeat, nil); err != nil {
				writeError(w, http.StatusServiceUnavailable, "unavailable", "certificate not recorded; try again")
				return
			}
		}
		s.certs[key] = prev
		answer(w, lost, http.StatusOK, prev)
		return
	}
	c, err := s.issue(key, a.sched.AssessmentID, req.IssueDate)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "unavailable", "certificate not recorded; try again")
		return
	}
	answer(w, lost, http.StatusCreated, c)
}

// issue creates a new certificate for an assessment: the next number, or a number handed out by
// mistake (HandOutNext), which is answered for key but is not the assessment's certificate.
// Persistent, it is written before memory changes. The caller holds s.mu.
func (s *LSP) issue(key, assessmentID string, issue time.Time) (partners.Certificate, error) {
	if issue.IsZero() {
		issue = s.now()
	}
	c := partners.Certificate{IssueDate: issue, ExpiryDate: issue.AddDate(3, 0, 0)}
	number := func(n int) { c.Number = fmt.Sprintf("%s/%d/%06d", s.code, issue.Year(), n) }
	role := certIssued
	if len(s.mistakes) > 0 {
		role, c.Number = certMistake, s.mistakes[0]
		number = nil
	}
	if s.db != nil {
		if err := s.db.saveCertificate(key, assessmentID, &c, role, number); err != nil {
			return c, err
		}
	} else if number != nil {
		s.nextCert++
		number(s.nextCert)
	}
	if role == certMistake {
		s.mistakes = s.mistakes[1:]
	} else {
		s.certByAssess[assessmentID] = c
	}
	s.certs[key] = c
	s.certNew[key]++
	return c, nil
}

// HandOutNext makes the next new certificate carry number, whoever it is for, as an LSP's
// mistake would (the number of another person's certificate, say): kompeten must notice. It is
// answered again for that request's key but is not the assessment's certificate, so an issuance
// asked again (a new key) gets a number of its own. Not remembered across a restart.
func (s *LSP) HandOutNext(number string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mistakes = append(s.mistakes, number)
}

func (s *LSP) handleGetConfig(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, s.view())
}

func (s *LSP) handleSetConfig(w http.ResponseWriter, r *http.Request) {
	var p configPatch
	if err := readJSON(r, &p); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	// Validate everything before changing anything, so a bad request changes nothing.
	delay, setDelay, err1 := parseDuration("result_delay", p.ResultDelay)
	lead, setLead, err2 := parseDuration("schedule_lead", p.ScheduleLead)
	err3 := checkRate("bk_rate", p.BKRate)
	if msg := firstError(err1, err2, err3); msg != "" {
		writeError(w, http.StatusBadRequest, "invalid_request", msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.applyBase(p); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	if setDelay {
		s.delay = delay
	}
	if setLead {
		s.lead = lead
	}
	if p.BKRate != nil {
		s.bkRate = *p.BKRate
	}
	writeJSON(w, http.StatusOK, s.view())
}

// view describes the current settings; the caller holds s.mu.
func (s *LSP) view() configView {
	v := s.baseView()
	v.ResultDelay, v.ScheduleLead = s.delay.String(), s.lead.String()
	bk := s.bkRate
	v.BKRate = &bk
	return v
}

// SetBKRate changes the per-unit share of BK results; results already reported do not change.
func (s *LSP) SetBKRate(p float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bkRate = p
}

// SetResultDelay changes how long after the assessment date results become available, for
// assessments scheduled from now on.
func (s *LSP) SetResultDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// firstError returns the message of the first non-nil error, or "".
func firstError(errs ...error) string {
	for _, err := range errs {
		if err != nil {
			return err.Error()
		}
	}
	return ""
}

// RefuseCertificates makes the LSP refuse to issue any certificate for candidateRef (a case ID),
// with why as its words, until StopRefusing: as when its own record of the candidate is wrong.
// A certificate already issued under a key is still answered for that key.
func (s *LSP) RefuseCertificates(candidateRef, why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if why == "" {
		why = "the LSP's record of this candidate is under review: no certificate"
	}
	s.refusing[candidateRef] = why
}

// StopRefusing ends RefuseCertificates for candidateRef: the LSP has fixed its record.
func (s *LSP) StopRefusing(candidateRef string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.refusing, candidateRef)
}

func (s *LSP) handleRefuse(w http.ResponseWriter, r *http.Request) {
	var body struct {
		CandidateRef string `json:"candidate_ref"`
		Message      string `json:"message"`
	}
	if err := readJSON(r, &body); err != nil || body.CandidateRef == "" {
		writeError(w, http.StatusBadRequest, "invalid_request", `send {"candidate_ref": "<case id>", "message": "<the LSP's words>"}`)
		return
	}
	s.RefuseCertificates(body.CandidateRef, body.Message)
	w.WriteHeader(http.StatusNoContent)
}

func (s *LSP) handleStopRefusing(w http.ResponseWriter, r *http.Request) {
	s.StopRefusing(r.PathValue("ref"))
	w.WriteHeader(http.StatusNoContent)
}
