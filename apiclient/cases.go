package apiclient

import (
	"context"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// CaseFilter narrows a case list; empty fields do not filter, a zero Limit is the server's
// default (100).
type CaseFilter struct {
	Package string
	Centre  string
	LSP     string
	Stage   vocab.Stage
	Status  string // open or closed
	Stuck   bool   // only stuck cases
	Limit   int
	Offset  int
}

func (f CaseFilter) query() query {
	return query{}.str("package", f.Package).str("centre", f.Centre).str("lsp", f.LSP).str("stage", string(f.Stage)).
		str("status", f.Status).flag("stuck", f.Stuck).num("limit", f.Limit).num("offset", f.Offset)
}

// ListCases lists cases from the read model, the longest waiting first.
func (c *Client) ListCases(ctx context.Context, f CaseFilter) ([]store.Case, error) {
	return do[[]store.Case](ctx, c, opListCases, nil, f.query(), nil)
}

// LookupCases finds a person's cases by NIK; the NIK goes in the request body, never in a URL.
func (c *Client) LookupCases(ctx context.Context, nik string) ([]store.Case, error) {
	return do[[]store.Case](ctx, c, opLookupCases, nil, nil, api.LookupRequest{NIK: nik})
}

// SearchCases reads one page of cases with the total: by the person's name or full NIK (sent
// in the body, never in a URL) and the list filters.
func (c *Client) SearchCases(ctx context.Context, req api.SearchRequest) (api.CasePage, error) {
	return do[api.CasePage](ctx, c, opSearchCases, nil, nil, req)
}

// GetCase reads one case: its read-model row, the journey's live state and its event log.
func (c *Client) GetCase(ctx context.Context, id string) (api.CaseView, error) {
	return do[api.CaseView](ctx, c, opGetCase, []string{id}, nil, nil)
}

// CaseEvents reads a case's event log, oldest first.
func (c *Client) CaseEvents(ctx context.Context, id string) ([]store.Event, error) {
	return do[[]store.Event](ctx, c, opCaseEvents, []string{id}, nil, nil)
}

// CaseWorkflow reads the case's workflow as Temporal sees it now.
func (c *Client) CaseWorkflow(ctx context.Context, id string) (starter.WorkflowInfo, error) {
	return do[starter.WorkflowInfo](ctx, c, opCaseWorkflow, []string{id}, nil, nil)
}

// The human steps on a case: each is sent to the case's journey as a Temporal update, and a
// refusal by the journey is an *Error with CodeRefused and the journey's words.

// DecideEnrolment approves or rejects an enrolment.
func (c *Client) DecideEnrolment(ctx context.Context, id string, d workflows.EnrolmentDecision) (workflows.UpdateResult, error) {
	return do[workflows.UpdateResult](ctx, c, opDecideEnrolment, []string{id}, nil, d)
}

// DecideMany approves or rejects several enrolments or certifications in one action; the
// answer says what became of each case (a refusal of one case is in its outcome, not an error).
func (c *Client) DecideMany(ctx context.Context, req api.DecisionsRequest) (api.DecisionsResponse, error) {
	return do[api.DecisionsResponse](ctx, c, opDecideMany, nil, nil, req)
}

// CorrectParticipant corrects the participant record of a case whose data BPJS refused (any
// of name, birth date, NIK) and has the registration retried; with no field it only tells the
// journey the record was corrected elsewhere.
func (c *Client) CorrectParticipant(ctx context.Context, id string, corr api.CorrectionRequest) (api.CorrectionResult, error) {
	return do[api.CorrectionResult](ctx, c, opCorrectParticipant, []string{id}, nil, corr)
}

// RecordAttendance records attendance (a running count, or days missed).
func (c *Client) RecordAttendance(ctx context.Context, id string, a workflows.Attendance) (workflows.UpdateResult, error) {
	return do[workflows.UpdateResult](ctx, c, opRecordAttendance, []string{id}, nil, a)
}

// Withdraw withdraws a participant (a drop-out).
func (c *Client) Withdraw(ctx context.Context, id string, w workflows.Withdrawal) (workflows.UpdateResult, error) {
	return do[workflows.UpdateResult](ctx, c, opWithdraw, []string{id}, nil, w)
}

// RecordAssessment records an assessment result, K or BK per unit.
func (c *Client) RecordAssessment(ctx context.Context, id string, r workflows.AssessmentResult) (workflows.UpdateResult, error) {
	return do[workflows.UpdateResult](ctx, c, opRecordAssessment, []string{id}, nil, r)
}

// DecideCertification approves or rejects a certification.
func (c *Client) DecideCertification(ctx context.Context, id string, d workflows.CertificationDecision) (workflows.UpdateResult, error) {
	return do[workflows.UpdateResult](ctx, c, opDecideCertification, []string{id}, nil, d)
}

// RetryRefused sends the request the LSP refused (the assessment request or the certificate)
// again, once the LSP has fixed its record.
func (c *Client) RetryRefused(ctx context.Context, id string, d workflows.RefusalDecision) (workflows.UpdateResult, error) {
	return do[workflows.UpdateResult](ctx, c, opRetryRefused, []string{id}, nil, d)
}

// OrderReassessment re-assesses units (all of the scheme when none) after a refused certificate.
func (c *Client) OrderReassessment(ctx context.Context, id string, d workflows.RefusalDecision) (workflows.UpdateResult, error) {
	return do[workflows.UpdateResult](ctx, c, opOrderReassessment, []string{id}, nil, d)
}

// CloseUncertified goes on without a certificate after an LSP's refusal (coordinator, reason).
func (c *Client) CloseUncertified(ctx context.Context, id string, d workflows.RefusalDecision) (workflows.UpdateResult, error) {
	return do[workflows.UpdateResult](ctx, c, opCloseUncertified, []string{id}, nil, d)
}

// RecordFollowUp records a follow-up contact that found no placement (still looking, not
// reached); the case stays in follow-up.
func (c *Client) RecordFollowUp(ctx context.Context, id string, f workflows.FollowUpContact) (workflows.UpdateResult, error) {
	return do[workflows.UpdateResult](ctx, c, opRecordFollowUp, []string{id}, nil, f)
}

// ConfirmPlacement confirms a graduate's self-reported placement that waits for staff; the case
// then closes with it (staff correct one with ReportPlacement instead).
func (c *Client) ConfirmPlacement(ctx context.Context, id string, p workflows.PlacementConfirmation) (workflows.UpdateResult, error) {
	return do[workflows.UpdateResult](ctx, c, opConfirmPlacement, []string{id}, nil, p)
}

// ReportPlacement reports a placement.
func (c *Client) ReportPlacement(ctx context.Context, id string, p workflows.PlacementReport) (workflows.UpdateResult, error) {
	return do[workflows.UpdateResult](ctx, c, opReportPlacement, []string{id}, nil, p)
}

// ResolveNumberConflict ends a KPJ or certificate-number conflict: a corrected number, or
// (empty) ask the partner again.
func (c *Client) ResolveNumberConflict(ctx context.Context, id string, r workflows.NumberResolution) (workflows.UpdateResult, error) {
	return do[workflows.UpdateResult](ctx, c, opResolveConflict, []string{id}, nil, r)
}
