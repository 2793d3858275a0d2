package simulator

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/partners/bpjs"
)

// BPJS simulates the BPJS Ketenagakerjaan registration API of partners/bpjs. It is an
// http.Handler and safe for concurrent use.
type BPJS struct {
	*core
	mux *http.ServeMux

	// All below guarded by core.mu.
	regs      map[string]*bpjsRegistration // by idempotency key
	kpjByNIK  map[string]string            // a person keeps one membership number
	periods   map[string][]*bpjsRegistration
	ends      map[string]bpjs.EndResponse // by idempotency key
	creations map[string]int              // registrations created per key: must never exceed 1
	regCalls  map[string]int
	endCalls  map[string]int
	nextKPJ   int
}

// bpjsRegistration is one stored, successful registration.
type bpjsRegistration struct {
	resp bpjs.RegisterResponse
}

// NewBPJS returns a BPJS simulator.
func NewBPJS(cfg Config) *BPJS {
	s := &BPJS{
		core: newCore("BPJS", cfg), mux: http.NewServeMux(),
		regs: map[string]*bpjsRegistration{}, kpjByNIK: map[string]string{},
		periods: map[string][]*bpjsRegistration{}, ends: map[string]bpjs.EndResponse{},
		creations: map[string]int{}, regCalls: map[string]int{}, endCalls: map[string]int{},
	}
	s.mux.HandleFunc("POST /v1/registrations", s.handleRegister)
	s.mux.HandleFunc("POST /v1/registrations/{kpj}/end", s.handleEnd)
	s.mountControl(s.mux)
	s.mux.HandleFunc("GET /sim/config", s.handleGetConfig)
	s.mux.HandleFunc("POST /sim/config", s.handleSetConfig)
	s.mux.HandleFunc("GET /sim/stats", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Stats())
	})
	return s
}

// ServeHTTP implements http.Handler.
func (s *BPJS) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *BPJS) handleRegister(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	s.regCalls[key]++
	s.mu.Unlock()

	lost, ok := s.gate(w, r)
	if !ok {
		return
	}
	if key == "" {
		writeError(w, http.StatusBadRequest, "missing_idempotency_key", "Idempotency-Key header is required")
		return
	}
	var req bpjs.RegisterRequest
	if err := readJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	// A key seen before gets the stored answer whatever the body says: that is the whole point.
	if prev, seen := s.regs[key]; seen {
		answer(w, lost, http.StatusOK, prev.resp)
		return
	}
	if status, code, msg := validateRegistration(req); status != 0 {
		writeError(w, status, code, msg)
		return
	}
	if s.fraction("register", key, req.NIK, req.Name, req.BirthDate.Format(time.DateOnly)) < s.cfg.DataErrorRate {
		writeError(w, http.StatusUnprocessableEntity, "identity_mismatch",
			"name or birth date does not match the population register for this NIK")
		return
	}
	kpj, known := s.kpjByNIK[req.NIK]
	if !known {
		s.nextKPJ++
		kpj = fmt.Sprintf("23%09d", s.nextKPJ)
		s.kpjByNIK[req.NIK] = kpj
	}
	reg := &bpjsRegistration{resp: bpjs.RegisterResponse{
		KPJ: kpj, CoverageStart: req.CoverageStart, CoverageEnd: req.CoverageEnd,
		Programs: []string{bpjs.ProgramJKK, bpjs.ProgramJKM},
	}}
	s.regs[key] = reg
	s.periods[kpj] = append(s.periods[kpj], reg)
	s.creations[key]++
	answer(w, lost, http.StatusCreated, reg.resp)
}

// validateRegistration returns a non-zero status with code and message when req is refused.
func validateRegistration(req bpjs.RegisterRequest) (int, string, string) {
	switch {
	case req.Name == "" || req.BirthDate.IsZero() || req.Centre == "":
		return http.StatusBadRequest, "invalid_request", "name, birth_date and centre are required"
	case len(req.NIK) != 16 || !allDigits(req.NIK):
		return http.StatusUnprocessableEntity, "invalid_nik", "NIK must be 16 digits"
	case req.CoverageStart.IsZero() || !req.CoverageEnd.After(req.CoverageStart):
		return http.StatusUnprocessableEntity, "invalid_period", "coverage_end must be after coverage_start"
	case !slices.Contains(req.Programs, bpjs.ProgramJKK) || !slices.Contains(req.Programs, bpjs.ProgramJKM):
		return http.StatusUnprocessableEntity, "invalid_programs", "programs must include JKK and JKM"
	}
	return 0, "", ""
}

func (s *BPJS) handleEnd(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	s.endCalls[key]++
	s.mu.Unlock()

	lost, ok := s.gate(w, r)
	if !ok {
		return
	}
	if key == "" {
		writeError(w, http.StatusBadRequest, "missing_idempotency_key", "Idempotency-Key header is required")
		return
	}
	var req bpjs.EndRequest
	if err := readJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	if req.EndDate.IsZero() {
		writeError(w, http.StatusBadRequest, "invalid_request", "end_date is required")
		return
	}
	kpj := r.PathValue("kpj")

	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, seen := s.ends[key]; seen {
		answer(w, lost, http.StatusOK, prev)
		return
	}
	periods := s.periods[kpj]
	if len(periods) == 0 {
		writeError(w, http.StatusUnprocessableEntity, "unknown_kpj", "no registration with this KPJ")
		return
	}
	// Shorten every period still running at the end date; one that has not started is cancelled
	// (it ends where it starts).
	resp := bpjs.EndResponse{KPJ: kpj, CoverageEnd: req.EndDate}
	for _, p := range periods {
		if p.resp.CoverageEnd.After(req.EndDate) {
			end := req.EndDate
			if end.Before(p.resp.CoverageStart) {
				end = p.resp.CoverageStart
			}
			p.resp.CoverageEnd = end
		}
	}
	s.ends[key] = resp
	answer(w, lost, http.StatusOK, resp)
}

func (s *BPJS) handleGetConfig(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, s.baseView())
}

func (s *BPJS) handleSetConfig(w http.ResponseWriter, r *http.Request) {
	var p configPatch
	if err := readJSON(r, &p); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	if p.ResultDelay != nil || p.ScheduleLead != nil || p.BKRate != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", "result_delay, schedule_lead and bk_rate apply to the LSP simulator")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.applyBase(p); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, s.baseView())
}

// allDigits reports whether s is made of ASCII digits only.
func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
