package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// registration builds the partner request from the participant record.
func (a *Activities) registration(ctx context.Context, in contract.InsuranceInput) (partners.Registration, error) {
	p, err := a.Store.GetParticipant(ctx, in.NIKHash)
	if errors.Is(err, store.ErrNotFound) {
		return partners.Registration{}, notFound("participant record", err)
	}
	if err != nil {
		return partners.Registration{}, fmt.Errorf("load participant for %s: %w", in.CaseID, err)
	}
	return partners.Registration{
		IdempotencyKey: in.IdempotencyKey,
		NIK:            p.NIK,
		Name:           p.Name,
		BirthDate:      p.BirthDate,
		Phone:          p.Phone,
		CentreCode:     in.CentreCode,
		CoverageStart:  in.CoverageStart,
		CoverageEnd:    in.CoverageEnd,
		DeclaredIncome: a.Contribution.DeclaredIncome,
		MonthlyFee:     a.Contribution.Monthly(),
	}, nil
}

// RegisterInsurance registers JKK + JKM coverage through the BPJS API. The idempotency key
// makes a retried or replayed call return the first registration instead of making another.
func (a *Activities) RegisterInsurance(ctx context.Context, in contract.InsuranceInput) (partners.Coverage, error) {
	if a.Insurer == nil {
		return partners.Coverage{}, notFound("BPJS API adapter", errors.New("not configured (partners.bpjs.adapter is batch)"))
	}
	reg, err := a.registration(ctx, in)
	if err != nil {
		return partners.Coverage{}, err
	}
	cov, err := a.Insurer.Register(ctx, reg)
	if err != nil {
		return partners.Coverage{}, a.partnerError(ctx, in.CaseID, "bpjs register", err)
	}
	a.clearAttempts(ctx, in.CaseID)
	return cov, nil
}

// QueueBatchRegistration puts a registration in the batch exchange for the branch office.
func (a *Activities) QueueBatchRegistration(ctx context.Context, in contract.InsuranceInput) error {
	reg, err := a.registration(ctx, in)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(reg)
	if err != nil {
		return fmt.Errorf("encode batch registration %s: %w", in.CaseID, err)
	}
	if err := a.Store.EnqueueBatch(ctx, store.BatchRegistration{CaseID: in.CaseID, WorkflowID: in.WorkflowID, Payload: payload}); err != nil {
		return fmt.Errorf("queue batch registration %s: %w", in.CaseID, err)
	}
	return nil
}

// EndCoverage ends coverage early after a drop-out.
func (a *Activities) EndCoverage(ctx context.Context, in contract.EndCoverageInput) error {
	if a.Insurer == nil {
		a.log(ctx).Info("coverage end left to the batch exchange", "case", in.CaseID)
		return nil
	}
	if err := a.Insurer.EndCoverage(ctx, in.CaseID+"-end", in.KPJ, in.End); err != nil {
		return a.partnerError(ctx, in.CaseID, "bpjs end coverage", err)
	}
	return nil
}

// RequestAssessment asks the package's LSP for an assessment schedule.
func (a *Activities) RequestAssessment(ctx context.Context, in contract.AssessmentInput) (partners.Schedule, error) {
	c, err := a.Certifier(in.LSPCode)
	if err != nil {
		return partners.Schedule{}, notFound("LSP adapter", err)
	}
	name, err := a.participantName(ctx, in.NIKHash)
	if err != nil {
		return partners.Schedule{}, err
	}
	s, err := c.RequestSchedule(ctx, partners.ScheduleRequest{
		IdempotencyKey: in.IdempotencyKey, Scheme: in.Scheme, PackageCode: in.PackageCode,
		CandidateRef: in.CaseID, CandidateName: name, NotBefore: in.NotBefore, Units: in.Units,
	})
	if err != nil {
		return partners.Schedule{}, a.partnerError(ctx, in.CaseID, "lsp schedule", err)
	}
	a.clearAttempts(ctx, in.CaseID)
	return s, nil
}

// FetchAssessmentResult asks the LSP whether an assessment has a result yet.
func (a *Activities) FetchAssessmentResult(ctx context.Context, in contract.ResultInput) (contract.ResultOutput, error) {
	c, err := a.Certifier(in.LSPCode)
	if err != nil {
		return contract.ResultOutput{}, notFound("LSP adapter", err)
	}
	res, ok, err := c.FetchResult(ctx, in.AssessmentID)
	if err != nil {
		return contract.ResultOutput{}, a.partnerError(ctx, in.CaseID, "lsp result", err)
	}
	return contract.ResultOutput{Ready: ok, Result: res}, nil
}

// IssueCertificate asks the LSP to issue an approved certificate, once per case.
func (a *Activities) IssueCertificate(ctx context.Context, in contract.CertificateInput) (partners.Certificate, error) {
	c, err := a.Certifier(in.LSPCode)
	if err != nil {
		return partners.Certificate{}, notFound("LSP adapter", err)
	}
	name, err := a.participantName(ctx, in.NIKHash)
	if err != nil {
		return partners.Certificate{}, err
	}
	cert, err := c.IssueCertificate(ctx, partners.CertificateRequest{
		IdempotencyKey: in.IdempotencyKey, AssessmentID: in.AssessmentID, Scheme: in.Scheme,
		CandidateRef: in.CaseID, CandidateName: name, IssueDate: in.IssueDate,
	})
	if err != nil {
		return partners.Certificate{}, a.partnerError(ctx, in.CaseID, "lsp certificate", err)
	}
	a.clearAttempts(ctx, in.CaseID)
	return cert, nil
}

func (a *Activities) participantName(ctx context.Context, nikHash string) (string, error) {
	p, err := a.Store.GetParticipant(ctx, nikHash)
	if errors.Is(err, store.ErrNotFound) {
		return "", notFound("participant record", err)
	}
	if err != nil {
		return "", fmt.Errorf("load participant: %w", err)
	}
	return p.Name, nil
}

func (a *Activities) clearAttempts(ctx context.Context, caseID string) {
	if err := a.Store.RecordAttempt(ctx, caseID, 0, ""); err != nil {
		a.log(ctx).Warn("clear partner attempts", "case", caseID, "error", err)
	}
}
