package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Before RevisionAudited, an LSP that refuses the certificate (its own record says BK) does not
// fail the journey: the refusal is logged and the graduate's placement follow-up goes on,
// uncertified. (Since, the case waits for a person: refusal_audited_test.go.)
func TestCertificateRefusedGoesOnUncertifiedBeforeRevisionAudited(t *testing.T) {
	h := newHarness(t)
	h.in.Revision = wf.RevisionAudited - 1
	h.issue = func(int, contract.CertificateInput) (partners.Certificate, error) {
		return partners.Certificate{}, temporal.NewNonRetryableApplicationError("unit U02 is BK: no certificate", contract.ErrTypeData, nil)
	}
	h.graduate()
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment, record("AS-1", allK(units...)))
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	require.NoError(t, h.err)
	require.Equal(t, 1, h.count("IssueCertificate"), "a data error is not retried")
	require.Nil(t, s.Certification.Certificate)
	require.Contains(t, s.Certification.Refused, "BK")
	ref := h.eventsOf("certificate-refused")
	require.Len(t, ref, 1)
	require.Contains(t, ref[0].Detail, "no certificate")
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}

// Before RevisionAudited, an LSP that refuses the assessment request (scheme not offered) does
// not fail the journey: the graduate goes on uncertified.
func TestAssessmentRefusedGoesOnUncertifiedBeforeRevisionAudited(t *testing.T) {
	h := newHarness(t)
	h.in.Revision = wf.RevisionAudited - 1
	h.schedule = func(int, contract.AssessmentInput) (partners.Schedule, error) {
		return partners.Schedule{}, temporal.NewNonRetryableApplicationError("scheme SKM-X is not offered", contract.ErrTypeData, nil)
	}
	h.graduate()
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
	s := h.run()

	require.NoError(t, h.err)
	require.Equal(t, 1, h.count("RequestAssessment"))
	require.Zero(t, h.count("IssueCertificate"))
	require.NotNil(t, s.Assessment.Competent)
	require.False(t, *s.Assessment.Competent)
	require.Contains(t, s.Assessment.Refused, "not offered")
	require.Len(t, h.eventsOf("assessment-refused"), 1)
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
}
