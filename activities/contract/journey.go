package contract

import (
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/partners"
)

// EnrolmentCheckInput asks whether a person may enrol in a package.
type EnrolmentCheckInput struct {
	CaseID      string    `json:"case_id"`
	NIKHash     string    `json:"nik_hash"`
	PackageCode string    `json:"package"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Capacity    int       `json:"capacity"`
	MinAge      int       `json:"min_age"`
	MaxAge      int       `json:"max_age"`
	// NoSeat leaves the seat to the approval (journeys from seats-at-approval, issue 13).
	NoSeat bool `json:"no_seat,omitempty"`
}

// EnrolmentCheck lists the rules a person fails (problems) and what an approver should know.
type EnrolmentCheck struct {
	Problems []string `json:"problems,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// ProblemNotes are Problems as messages of the catalogue (rule.*), in the same order, so
	// the pages and the API word them in the reader's language; Problems stays their English,
	// which histories recorded before the codes hold alone.
	ProblemNotes []i18n.Message `json:"problem_notes,omitempty"`
}

// Problem adds a rule not met: the catalogue's message and its English.
func (c *EnrolmentCheck) Problem(code string, kv ...string) {
	m := i18n.M(code, kv...)
	c.Problems = append(c.Problems, m.English())
	c.ProblemNotes = append(c.ProblemNotes, m)
}

// AgreementQuery asks which active agreement lets a centre use a partner on a date.
type AgreementQuery struct {
	PartnerCode string    `json:"partner"`
	CentreCode  string    `json:"centre"`
	Scheme      string    `json:"scheme,omitempty"`
	On          time.Time `json:"on"`
}

// AgreementResult names the agreement found, if any.
type AgreementResult struct {
	Found  bool   `json:"found"`
	Number string `json:"number,omitempty"`
}

// InsuranceInput registers one case's participant with BPJS Ketenagakerjaan.
type InsuranceInput struct {
	CaseID         string    `json:"case_id"`
	WorkflowID     string    `json:"workflow_id"`
	NIKHash        string    `json:"nik_hash"`
	CentreCode     string    `json:"centre"`
	IdempotencyKey string    `json:"idempotency_key"`
	CoverageStart  time.Time `json:"coverage_start"`
	CoverageEnd    time.Time `json:"coverage_end"`
}

// EndCoverageInput ends coverage early (drop-out).
type EndCoverageInput struct {
	CaseID string    `json:"case_id"`
	KPJ    string    `json:"kpj"`
	End    time.Time `json:"end"`
}

// SchemeQuery asks for the units of competence of a certification scheme.
type SchemeQuery struct {
	CaseID string `json:"case_id"`
	Scheme string `json:"scheme"`
}

// SchemeUnits is a scheme's units of competence in their order; Found is false when the store
// has no such scheme or it lists no unit.
type SchemeUnits struct {
	Found bool     `json:"found"`
	Units []string `json:"units,omitempty"`
	// Sample says the list is not the certifying LSP's own (the registry's sample data).
	Sample bool `json:"sample"`
}

// AssessmentInput asks an LSP for an assessment schedule. Units are the units to assess: every
// unit of the scheme at the first assessment (journeys from RevisionAudited; earlier ones sent
// none, meaning all), the BK units at a re-assessment.
type AssessmentInput struct {
	CaseID         string    `json:"case_id"`
	NIKHash        string    `json:"nik_hash"`
	LSPCode        string    `json:"lsp"`
	Scheme         string    `json:"scheme"`
	PackageCode    string    `json:"package"`
	NotBefore      time.Time `json:"not_before"`
	Units          []string  `json:"units,omitempty"`
	IdempotencyKey string    `json:"idempotency_key"`
}

// ResultInput asks an LSP whether an assessment has a result yet.
type ResultInput struct {
	CaseID       string `json:"case_id"`
	LSPCode      string `json:"lsp"`
	AssessmentID string `json:"assessment_id"`
}

// ResultOutput is an assessment result, when there is one.
type ResultOutput struct {
	Ready  bool                      `json:"ready"`
	Result partners.AssessmentResult `json:"result"`
}

// CertificateInput asks an LSP to issue an approved certificate.
type CertificateInput struct {
	CaseID         string    `json:"case_id"`
	NIKHash        string    `json:"nik_hash"`
	LSPCode        string    `json:"lsp"`
	Scheme         string    `json:"scheme"`
	AssessmentID   string    `json:"assessment_id"`
	IssueDate      time.Time `json:"issue_date"`
	IdempotencyKey string    `json:"idempotency_key"`
}

// The kinds of partner number that belong to one person each.
const (
	// NumberKPJ is a BPJS Ketenagakerjaan membership number.
	NumberKPJ = "kpj"
	// NumberCertificate is a competency certificate number from an LSP.
	NumberCertificate = "certificate"
)

// NumberClaimInput claims a partner number for a case's person.
type NumberClaimInput struct {
	Kind    string `json:"kind"` // NumberKPJ or NumberCertificate
	Number  string `json:"number"`
	CaseID  string `json:"case_id"`
	NIKHash string `json:"nik_hash"`
	// Batch says the KPJ came in a returned batch file: a conflicting one puts the registration
	// back among the pending ones, so the next file asks the branch office again.
	Batch bool `json:"batch,omitempty"`
}

// NumberClaimResult says whether the number is the case's person's now.
type NumberClaimResult struct {
	// HeldBy is the case of the other person the number belongs to; empty when it is this
	// person's (new, or claimed before).
	HeldBy string `json:"held_by,omitempty"`
}
