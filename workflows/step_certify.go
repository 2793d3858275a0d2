package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// certify waits for the LSP certification manager and issues the certificate on approval. It
// returns the units to assess again when, after the LSP refused the certificate, its manager
// ordered a re-assessment (RevisionAudited); nil otherwise.
func (j *journey) certify(ctx workflow.Context) ([]string, bool, error) {
	// A decision belongs to one assessment: after an ordered re-assessment the manager decides
	// again on the new result.
	j.certDecision = nil
	j.enterStage(ctx, vocab.StageCertification, "waiting for the LSP certification manager", say("event.stage.certification"))
	csla := j.in.Settings.SLA.CertificationApproval
	if err := j.await(ctx, vocab.WaitingLSPManager, func() bool { return j.certDecision != nil || j.withdrawal != nil },
		deadline{csla, vocab.StuckApprovalOverdue, "certificate approval pending for more than " + humanDuration(csla) + " (LSP certification manager)",
			say("stuck.approval-overdue.certification", "sla", csla.String())}); err != nil {
		return nil, false, err
	}
	if j.withdrawal != nil {
		closed, err := j.closeWithdrawn(ctx)
		return nil, closed, err
	}
	if !j.certDecision.Approve {
		return nil, false, nil
	}
	cs := &j.state.Certification
	isla := j.in.Settings.SLA.CertificateIssue
	for {
		var cert partners.Certificate
		f := contract.IssueCertificate.Execute(j.partnerCall(ctx), contract.CertificateInput{
			CaseID: j.in.CaseID, NIKHash: j.in.NIKHash, LSPCode: j.in.LSPCode, Scheme: j.in.Scheme,
			AssessmentID: j.state.Assessment.Schedule.AssessmentID, IssueDate: workflow.Now(ctx),
			IdempotencyKey: j.certificateKey(),
		})
		err := j.awaitFuture(ctx, f, vocab.WaitingLSP, &cert,
			deadline{isla, vocab.StuckPartnerFailing, "waiting on " + j.in.LSPCode + " to issue the certificate for more than " + humanDuration(isla),
				say("stuck.partner-failing.certificate", "lsp", j.in.LSPCode, "sla", isla.String())})
		if err == nil {
			if j.audited() {
				claimed, closed, err := j.claimCertificate(ctx, cert)
				if err != nil || closed {
					return nil, closed, err
				}
				cert = claimed
			}
			if cert.ExpiryDate.IsZero() {
				cert.ExpiryDate = cert.IssueDate.AddDate(j.in.Settings.CertificateYears, 0, 0)
			}
			cs.Certificate = &Certificate{Number: cert.Number, IssueDate: cert.IssueDate, ExpiryDate: cert.ExpiryDate}
			j.commit(ctx, ev("certified", "certificate "+cert.Number+" issued, valid until "+j.day(cert.ExpiryDate)).say("event.certified", "number", cert.Number, "until", j.day(cert.ExpiryDate)))
			j.tell(ctx, contract.MessageInput{Milestone: string(messaging.MilestoneCertificate), Certificate: cert.Number})
			return nil, false, nil
		}
		msg, refused := dataError(err)
		if !refused {
			return nil, false, err
		}
		// E.g. the LSP's own record says BK, or it has no such assessment. Before
		// RevisionAudited the graduate went on to follow-up uncertified, the refusal only in the
		// log; since, the case stops here until a person chooses a way out.
		cs.Refused = msg
		j.commit(ctx, ev("certificate-refused", j.in.LSPCode+" refused to issue the certificate: "+msg).say("event.certificate-refused", "lsp", j.in.LSPCode, "message", msg))
		if !j.audited() {
			return nil, false, nil
		}
		way, closed, err := j.awaitWayOut(ctx, vocab.StuckCertificateRefused, msg, isla)
		if err != nil || closed {
			return nil, closed, err
		}
		switch way.update {
		case UpdateCloseUncertified:
			return nil, false, nil
		case UpdateOrderReassessment:
			as := &j.state.Assessment
			units := way.decision.Units
			if len(units) == 0 {
				units = as.Units
			}
			as.Ordered++
			as.Competent = nil // in question until the re-assessment's result
			cs.Refused = ""
			return units, false, nil
		default: // UpdateRetryRefused: the same key, so the LSP issues one certificate however often it is asked
			cs.Refused = ""
		}
	}
}

// certificateKey is the idempotency key of the certificate request: one per case, and a new one
// for each re-assessment ordered after a refusal (its certificate is for another assessment).
func (j *journey) certificateKey() string {
	if n := j.state.Assessment.Ordered; n > 0 {
		return fmt.Sprintf("%s-cert-r%d", j.in.CaseID, n)
	}
	return j.in.CaseID + "-cert"
}
