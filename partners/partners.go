// Package partners defines what kompeten asks of the partner systems it cannot reach directly
// (BPJS Ketenagakerjaan and the certification bodies), independent of how each is reached.
package partners

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DataError is a partner's refusal of the data itself (bad NIK, name mismatch): retrying the same
// request cannot succeed, the record must be corrected first.
type DataError struct {
	Code    string
	Message string
}

func (e *DataError) Error() string { return fmt.Sprintf("data error %s: %s", e.Code, e.Message) }

// IsDataError reports whether err is (or wraps) a DataError.
func IsDataError(err error) bool {
	var d *DataError
	return errors.As(err, &d)
}

// Registration is one person's request for JKK + JKM coverage.
type Registration struct {
	IdempotencyKey string    `json:"idempotency_key"` // one per case: a retried call never registers twice
	NIK            string    `json:"nik"`
	Name           string    `json:"name"`
	BirthDate      time.Time `json:"birth_date"`
	Phone          string    `json:"phone,omitempty"`
	CentreCode     string    `json:"centre"`
	CoverageStart  time.Time `json:"coverage_start"`
	CoverageEnd    time.Time `json:"coverage_end"`
	DeclaredIncome int64     `json:"declared_income"`
	MonthlyFee     int64     `json:"monthly_fee"` // JKK + JKM contribution, rupiah
}

// Coverage is the insurer's answer to a registration.
type Coverage struct {
	KPJ           string    `json:"kpj"` // membership number, opaque
	CoverageStart time.Time `json:"coverage_start"`
	CoverageEnd   time.Time `json:"coverage_end"`
}

// Insurer registers people for coverage and ends coverage early.
type Insurer interface {
	Register(ctx context.Context, r Registration) (Coverage, error)
	EndCoverage(ctx context.Context, idempotencyKey, kpj string, end time.Time) error
}

// ScheduleRequest asks a certification body to schedule an assessment.
type ScheduleRequest struct {
	IdempotencyKey string    `json:"idempotency_key"`
	Scheme         string    `json:"scheme"`
	PackageCode    string    `json:"package"`
	CandidateRef   string    `json:"candidate_ref"` // case id, never the NIK
	CandidateName  string    `json:"candidate_name"`
	NotBefore      time.Time `json:"not_before"`
	Units          []string  `json:"units,omitempty"` // for a re-assessment: only these units
}

// Schedule is where and when an assessment takes place.
type Schedule struct {
	AssessmentID string    `json:"assessment_id"`
	Date         time.Time `json:"date"`
	TUK          string    `json:"tuk"` // test site
	Assessor     string    `json:"assessor"`
}

// UnitResult is the outcome for one competency unit: "K" (kompeten) or "BK" (belum kompeten).
type UnitResult struct {
	Unit   string `json:"unit"`
	Result string `json:"result"`
}

// AssessmentResult is an assessor's recommendation; it is not yet a certificate.
type AssessmentResult struct {
	AssessmentID string       `json:"assessment_id"`
	Assessor     string       `json:"assessor"`
	Units        []UnitResult `json:"units"`
}

// CertificateRequest asks the certification body to issue a certificate after approval.
type CertificateRequest struct {
	IdempotencyKey string    `json:"idempotency_key"`
	AssessmentID   string    `json:"assessment_id"`
	Scheme         string    `json:"scheme"`
	CandidateRef   string    `json:"candidate_ref"`
	CandidateName  string    `json:"candidate_name"`
	IssueDate      time.Time `json:"issue_date"`
}

// Certificate is an issued competency certificate; numbers are opaque.
type Certificate struct {
	Number     string    `json:"number"`
	IssueDate  time.Time `json:"issue_date"`
	ExpiryDate time.Time `json:"expiry_date"`
}

// Certifier schedules assessments, reports their results and issues certificates.
type Certifier interface {
	RequestSchedule(ctx context.Context, r ScheduleRequest) (Schedule, error)
	// FetchResult returns ok=false while the assessment has no result yet.
	FetchResult(ctx context.Context, assessmentID string) (res AssessmentResult, ok bool, err error)
	IssueCertificate(ctx context.Context, r CertificateRequest) (Certificate, error)
}
