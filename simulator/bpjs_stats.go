package simulator

import "maps"

// BPJSStats counts what the BPJS simulator has seen; GET /sim/stats answers with it.
type BPJSStats struct {
	Registrations      int            `json:"registrations"`         // distinct registrations created
	People             int            `json:"people"`                // distinct NIKs, i.e. KPJs issued
	RegisterCalls      int            `json:"register_calls"`        // every POST /v1/registrations
	RegisterCallsByKey map[string]int `json:"register_calls_by_key"` // calls per idempotency key
	RegistrationsByKey map[string]int `json:"registrations_by_key"`  // creations per key: never above 1
	EndedCoverages     int            `json:"ended_coverages"`       // distinct successful end requests
	EndCalls           int            `json:"end_calls"`
	EndCallsByKey      map[string]int `json:"end_calls_by_key"`
}

// Stats returns a snapshot of the counters.
func (s *BPJS) Stats() BPJSStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return BPJSStats{
		Registrations: len(s.regs), People: len(s.kpjByNIK),
		RegisterCalls: sum(s.regCalls), RegisterCallsByKey: maps.Clone(s.regCalls),
		RegistrationsByKey: maps.Clone(s.creations),
		EndedCoverages:     len(s.ends), EndCalls: sum(s.endCalls), EndCallsByKey: maps.Clone(s.endCalls),
	}
}

// RegistrationCount is the number of distinct registrations created.
func (s *BPJS) RegistrationCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.regs)
}

// Registrations maps each idempotency key to the number of registrations it created (at most 1
// unless idempotency is broken).
func (s *BPJS) Registrations() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.creations)
}

// RegisterCalls is the number of registration calls that carried key, failed ones included.
func (s *BPJS) RegisterCalls(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.regCalls[key]
}

// EndedCount is the number of distinct successful end-of-coverage requests.
func (s *BPJS) EndedCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ends)
}

// sum adds the values of m.
func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
