package lsp

import "time"

// AssessmentRequest is the body of POST /v1/assessments.
type AssessmentRequest struct {
	Scheme        string    `json:"scheme"`
	Package       string    `json:"package"`
	CandidateRef  string    `json:"candidate_ref"`
	CandidateName string    `json:"candidate_name"`
	NotBefore     time.Time `json:"not_before"`
	Units         []string  `json:"units,omitempty"`
}

// IssueRequest is the body of POST /v1/certificates.
type IssueRequest struct {
	AssessmentID  string    `json:"assessment_id"`
	Scheme        string    `json:"scheme"`
	CandidateRef  string    `json:"candidate_ref"`
	CandidateName string    `json:"candidate_name"`
	IssueDate     time.Time `json:"issue_date"`
}

// PendingBody is the 202 answer while an assessment has no result.
type PendingBody struct {
	Status         string    `json:"status"` // "pending"
	AvailableAfter time.Time `json:"available_after,omitzero"`
}

// ErrorBody is the body of every error answer.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// CodeAssessmentNotFound is the error code of a 404 for an assessment the LSP does not know;
// any other 404 on a result means "not yet".
const CodeAssessmentNotFound = "assessment_not_found"

// CodeResultPending is the 409 code of a certificate request for an assessment whose result the
// LSP does not have yet; the adapter retries it instead of treating it as a data error.
const CodeResultPending = "result_pending"
