package simulator

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

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
	nextKPJ   int // in memory only; a persistent simulator numbers from sim_counters
	// mistakes are KPJs to hand out by mistake, one per new registration (HandOutNext).
	mistakes []string
	// population is who the population register says a NIK is (KnowPerson).
	population map[string]registered
}

// bpjsRegistration is one stored, successful registration.
type bpjsRegistration struct {
	key  string // its idempotency key
	resp bpjs.RegisterResponse
}

// kpjPrefix starts every KPJ the simulator numbers.
const kpjPrefix = "23"

// kpjNumber is the n-th KPJ: 11 digits.
func kpjNumber(n int) string { return fmt.Sprintf("%s%09d", kpjPrefix, n) }

// OpenBPJS returns a BPJS simulator that keeps its state in PostgreSQL (the sim_ tables of
// store/migrations, migrated by the caller): it starts with the registrations, memberships,
// ended coverages and outages it had, and numbers on from where it stopped.
func OpenBPJS(ctx context.Context, cfg Config, pool *pgxpool.Pool) (*BPJS, error) {
	s := NewBPJS(cfg)
	p := &persistence{pool: pool, name: "bpjs"}
	if err := p.loadBPJS(ctx, s); err != nil {
		return nil, err
	}
	if err := s.open(ctx, p); err != nil {
		return nil, err
	}
	return s, nil
}

// NewBPJS returns a BPJS simulator that keeps its state in memory only.
func NewBPJS(cfg Config) *BPJS {
	s := &BPJS{
		core: newCore("BPJS", cfg), mux: http.NewServeMux(),
		regs: map[string]*bpjsRegistration{}, kpjByNIK: map[string]string{},
		periods: map[string][]*bpjsRegistration{}, ends: map[string]bpjs.EndResponse{},
		creations: map[string]int{}, regCalls: map[string]int{}, endCalls: map[string]int{},
	}
	s.mux.HandleFunc("POST /v1/registrations", s.handleRegister)
	s.mux.HandleFunc("POST /v1/registrations/{kpj}/end", s.handleEnd)
	s.mux.HandleFunc("POST /sim/mistake", handleMistake(s.HandOutNext))
	s.mux.HandleFunc("POST /sim/population", s.handleKnowPerson)
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
	if s.mismatch(req) || s.fraction("register", key, req.NIK, req.Name, req.BirthDate.Format(time.DateOnly)) < s.cfg.DataErrorRate {
		writeError(w, http.StatusUnprocessableEntity, "identity_mismatch",
			"name or birth date does not match the population register for this NIK")
		return
	}
	reg, err := s.register(key, req)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "unavailable", "registration not recorded; try again")
		return
	}
	answer(w, lost, http.StatusCreated, reg.resp)
}

// register creates the registration of a new key: the person's membership number, a new one
// for a person seen for the first time, or a number handed out by mistake (HandOutNext), which
// is answered but does not become the person's. Persistent, it is written before memory
// changes. The caller holds s.mu.
func (s *BPJS) register(key string, req bpjs.RegisterRequest) (*bpjsRegistration, error) {
	kpj, known := s.kpjByNIK[req.NIK]
	mistaken := len(s.mistakes) > 0
	if mistaken {
		kpj = s.mistakes[0]
	}
	reg := &bpjsRegistration{key: key, resp: bpjs.RegisterResponse{
		KPJ: kpj, CoverageStart: req.CoverageStart, CoverageEnd: req.CoverageEnd,
		Programs: []string{bpjs.ProgramJKK, bpjs.ProgramJKM},
	}}
	switch {
	case s.db != nil:
		var err error
		if reg.resp.KPJ, err = s.db.saveRegistration(req.NIK, reg, !known && !mistaken, mistaken); err != nil {
			return nil, err
		}
	case !known && !mistaken:
		s.nextKPJ++
		reg.resp.KPJ = kpjNumber(s.nextKPJ)
	}
	if mistaken {
		s.mistakes = s.mistakes[1:]
	} else {
		s.kpjByNIK[req.NIK] = reg.resp.KPJ
		s.periods[reg.resp.KPJ] = append(s.periods[reg.resp.KPJ], reg)
	}
	s.regs[key] = reg
	s.creations[key]++
	return reg, nil
}

// HandOutNext makes the next new registration answer with kpj, whoever it is for, as a BPJS
// mistake would (the number of another member, say): kompeten must notice. The number is
// answered again for that registration's key but does not become the person's membership, so
// a registration asked again (a new key) gets the person's own number. Not remembered across a
// restart.
func (s *BPJS) HandOutNext(kpj string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mistakes = append(s.mistakes, kpj)
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
	ends := map[*bpjsRegistration]time.Time{}
	for _, p := range periods {
		if p.resp.CoverageEnd.After(req.EndDate) {
			end := req.EndDate
			if end.Before(p.resp.CoverageStart) {
				end = p.resp.CoverageStart
			}
			ends[p] = end
		}
	}
	if s.db != nil {
		if err := s.db.saveEnd(key, resp, ends); err != nil {
			writeError(w, http.StatusServiceUnavailable, "unavailable", "end of coverage not recorded; try again")
			return
		}
	}
	for p, end := range ends {
		p.resp.CoverageEnd = end
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
