package simulator

import "maps"

// LSPStats counts what the LSP simulator has seen; GET /sim/stats answers with it.
type LSPStats struct {
	Assessments           int            `json:"assessments"` // distinct assessments scheduled
	ScheduleCalls         int            `json:"schedule_calls"`
	ScheduleCallsByKey    map[string]int `json:"schedule_calls_by_key"`
	AssessmentsByKey      map[string]int `json:"assessments_by_key"` // creations per key: never above 1
	ResultCalls           int            `json:"result_calls"`
	Certificates          int            `json:"certificates"` // certificates issued
	CertificateCalls      int            `json:"certificate_calls"`
	CertificateCallsByKey map[string]int `json:"certificate_calls_by_key"`
	CertificatesByKey     map[string]int `json:"certificates_by_key"` // creations per key: never above 1
}

// Stats returns a snapshot of the counters.
func (s *LSP) Stats() LSPStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return LSPStats{
		Assessments: len(s.byID), ScheduleCalls: sum(s.schedCalls), ScheduleCallsByKey: maps.Clone(s.schedCalls),
		AssessmentsByKey: maps.Clone(s.assessNew), ResultCalls: s.resultCalls,
		Certificates: len(s.certByAssess), CertificateCalls: sum(s.certCalls),
		CertificateCallsByKey: maps.Clone(s.certCalls), CertificatesByKey: maps.Clone(s.certNew),
	}
}

// AssessmentCount is the number of distinct assessments scheduled.
func (s *LSP) AssessmentCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byID)
}

// Assessments maps each idempotency key to the number of assessments it created (at most 1).
func (s *LSP) Assessments() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.assessNew)
}

// CertificateCount is the number of certificates issued.
func (s *LSP) CertificateCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.certByAssess)
}

// Certificates maps each idempotency key to the number of certificates it created (at most 1).
func (s *LSP) Certificates() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.certNew)
}
