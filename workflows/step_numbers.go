package workflows

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// A partner number (KPJ, certificate number) belongs to one person. From RevisionAudited a
// journey claims every number a partner hands it before taking it (contract.ClaimNumber, a
// PostgreSQL claim keyed by the number, so of two cases claiming one number exactly one gets
// it). A number that belongs to another person leaves the case stuck, naming both cases by case
// ID, until someone resolves it (UpdateResolveNumberConflict) or, for a KPJ of the batch
// exchange, a corrected KPJ comes in a later file. The claim's answer is in the history, so the
// journey learns of the conflict the same way on every replay. A resolution stays in
// j.resolution while it is applied (a registration or issuance asked again, the new number
// claimed), so a second one is refused until the case waits again.

// claimKPJ claims the KPJ BPJS returned, and on a conflict waits for a way out: a corrected KPJ
// (given by a person, or from the batch file) is claimed in turn; "ask again" returns again=true
// for the caller to register under a new key.
func (j *journey) claimKPJ(ctx workflow.Context, kpj string) (got string, again, closed bool, err error) {
	ins := &j.state.Insurance
	batch := j.in.Settings.InsuranceAdapter == "batch"
	for {
		heldBy, err := j.claim(ctx, contract.NumberKPJ, kpj, batch)
		if err != nil {
			return "", false, false, err
		}
		if heldBy == "" {
			ins.Conflict, j.resolution = nil, nil
			return kpj, false, false, nil
		}
		ins.Conflict = &NumberConflict{Number: kpj, HeldBy: heldBy, Since: workflow.Now(ctx)}
		j.kpj, j.resolution = "", nil
		reason := fmt.Sprintf("BPJS Ketenagakerjaan returned KPJ %s for case %s, but it belongs to case %s", kpj, j.in.CaseID, heldBy)
		if batch {
			reason += "; the registration goes back into the next batch file"
		}
		w := say("stuck.kpj-conflict", "kpj", kpj, "case", j.in.CaseID, "holder", heldBy)
		if batch {
			w.code = "stuck.kpj-conflict.batch"
		}
		j.commit(ctx, ev("kpj-conflict", reason).say(w.code, "kpj", kpj, "case", j.in.CaseID, "holder", heldBy))
		if err := j.await(ctx, vocab.WaitingBPJS, func() bool { return j.resolution != nil || j.kpj != "" || j.withdrawal != nil },
			deadline{0, vocab.StuckKPJConflict, reason, w}); err != nil {
			return "", false, false, err
		}
		if j.withdrawal != nil {
			closed, err := j.closeWithdrawn(ctx)
			return "", false, closed, err
		}
		switch {
		case j.kpj != "":
			kpj = j.kpj // delivered by a later batch file
		case j.resolution.Number != "":
			kpj = j.resolution.Number
		default:
			ins.Reregistrations++
			return "", true, false, nil
		}
	}
}

// claimCertificate claims the number of an issued certificate, and on a conflict waits for a
// way out: a corrected number given by a person is claimed in turn, "ask again" has the LSP
// issue again under a new key (a refusal then is logged and the case keeps waiting).
func (j *journey) claimCertificate(ctx workflow.Context, cert partners.Certificate) (partners.Certificate, bool, error) {
	cs := &j.state.Certification
	for {
		heldBy, err := j.claim(ctx, contract.NumberCertificate, cert.Number, false)
		if err != nil {
			return cert, false, err
		}
		if heldBy == "" {
			cs.Conflict, j.resolution = nil, nil
			return cert, false, nil
		}
		cs.Conflict = &NumberConflict{Number: cert.Number, HeldBy: heldBy, Since: workflow.Now(ctx)}
		reason := fmt.Sprintf("%s issued certificate %s for case %s, but the number belongs to case %s", j.in.LSPCode, cert.Number, j.in.CaseID, heldBy)
		w := say("stuck.certificate-conflict", "lsp", j.in.LSPCode, "number", cert.Number, "case", j.in.CaseID, "holder", heldBy)
		j.commit(ctx, ev("certificate-conflict", reason).say(w.code, "lsp", j.in.LSPCode, "number", cert.Number, "case", j.in.CaseID, "holder", heldBy))
		for {
			j.resolution = nil
			if err := j.await(ctx, vocab.WaitingLSPManager, func() bool { return j.resolution != nil || j.withdrawal != nil },
				deadline{0, vocab.StuckCertificateConflict, reason, w}); err != nil {
				return cert, false, err
			}
			if j.withdrawal != nil {
				closed, err := j.closeWithdrawn(ctx)
				return cert, closed, err
			}
			r := j.resolution
			if r.Number != "" {
				cert.Number = r.Number
				break
			}
			cs.Reissues++
			again, refused, err := j.reissueCertificate(ctx)
			if err != nil {
				return cert, false, err
			}
			if refused == "" {
				cert = again
				break
			}
			j.commit(ctx, ev("certificate-reissue-refused", j.in.LSPCode+" refused to issue the certificate again: "+refused).say("event.certificate-reissue-refused", "lsp", j.in.LSPCode, "message", refused))
		}
	}
}

// claim runs contract.ClaimNumber and returns the other case holding the number, if any.
func (j *journey) claim(ctx workflow.Context, kind, number string, batch bool) (string, error) {
	var res contract.NumberClaimResult
	err := contract.ClaimNumber.Execute(storeCall(ctx), contract.NumberClaimInput{
		Kind: kind, Number: number, CaseID: j.in.CaseID, NIKHash: j.in.NIKHash, Batch: batch,
	}).Get(ctx, &res)
	return res.HeldBy, err
}

// reissueCertificate asks the LSP for the certificate again under a new idempotency key; a
// refusal comes back as its message.
func (j *journey) reissueCertificate(ctx workflow.Context) (partners.Certificate, string, error) {
	var cert partners.Certificate
	isla := j.in.Settings.SLA.CertificateIssue
	f := contract.IssueCertificate.Execute(j.partnerCall(ctx), contract.CertificateInput{
		CaseID: j.in.CaseID, NIKHash: j.in.NIKHash, LSPCode: j.in.LSPCode, Scheme: j.in.Scheme,
		AssessmentID: j.state.Assessment.Schedule.AssessmentID, IssueDate: workflow.Now(ctx),
		IdempotencyKey: fmt.Sprintf("%s-cert-again-%d", j.in.CaseID, j.state.Certification.Reissues),
	})
	if err := j.awaitFuture(ctx, f, vocab.WaitingLSP, &cert,
		deadline{isla, vocab.StuckPartnerFailing, "waiting on " + j.in.LSPCode + " to issue the certificate again for more than " + humanDuration(isla),
			say("stuck.partner-failing.reissue", "lsp", j.in.LSPCode, "sla", isla.String())}); err != nil {
		if msg, refused := dataError(err); refused {
			return cert, msg, nil
		}
		return cert, "", err
	}
	return cert, "", nil
}

// bpjsKey is the idempotency key of the current registration: a new one after each correction
// and after each "ask again" of a KPJ conflict, since the partner remembers its answer per key.
func (j *journey) bpjsKey() string {
	ins := j.state.Insurance
	key := fmt.Sprintf("%s-bpjs-%d", j.in.CaseID, ins.Corrections)
	if ins.Reregistrations > 0 {
		key += fmt.Sprintf("-again-%d", ins.Reregistrations)
	}
	return key
}

// maxNumber bounds a corrected number given by a person (partner numbers are short), maxNote
// the note that goes with it.
const (
	maxNumber = 64
	maxNote   = 500
)

// validateResolution admits a resolution only while a conflict waits for one, from a role that
// answers for the partner concerned: the BPJS liaison for a KPJ, the LSP's certification manager
// for a certificate number, and the operator or coordinator for either.
func (j *journey) validateResolution(r NumberResolution) error {
	ins, cs := j.state.Insurance, j.state.Certification
	var conflict *NumberConflict
	var what string
	switch {
	case ins.Conflict != nil && ins.KPJ == "":
		conflict, what = ins.Conflict, "KPJ"
		if err := requireRole(r.Actor, vocab.RoleInsurerLiaison, vocab.RoleOperator, vocab.RoleCoordinator); err != nil {
			return err
		}
	case cs.Conflict != nil && cs.Certificate == nil:
		conflict, what = cs.Conflict, "certificate number"
		if err := requireRole(r.Actor, vocab.RoleLSPManager, vocab.RoleOperator, vocab.RoleCoordinator); err != nil {
			return err
		}
	default:
		return refusal("refusal.no-conflict", fmt.Sprintf("case %s has no KPJ or certificate number in conflict; nothing to resolve", j.in.CaseID), "case", j.in.CaseID)
	}
	if j.resolution != nil {
		return refusal("refusal.resolution-pending", "a resolution of this conflict is being applied already")
	}
	n := strings.TrimSpace(r.Number)
	switch {
	case len(n) > maxNumber || strings.ContainsFunc(n, unicode.IsSpace) || strings.ContainsFunc(n, unicode.IsControl):
		return refusal("refusal.number-format", fmt.Sprintf("number: at most %d characters, without spaces", maxNumber), "max", strconv.Itoa(maxNumber))
	case n != "" && n == conflict.Number:
		return refusal("refusal.number-held."+numberKind(what), fmt.Sprintf("%s %s belongs to case %s; give the corrected number", what, n, conflict.HeldBy), "number", n, "held_by", conflict.HeldBy)
	case len(r.Note) > maxNote:
		return refusal("refusal.note-max", fmt.Sprintf("note: at most %d characters", maxNote), "max", strconv.Itoa(maxNote))
	case n == "" && what == "KPJ" && j.in.Settings.InsuranceAdapter == "batch":
		return refusal("refusal.kpj-batch", "this case's KPJ comes from the BPJS batch exchange and its registration is in the next file already; give the corrected KPJ here or in the returned file")
	}
	return nil
}

// onResolution hands the resolution to the waiting step (claimKPJ or claimCertificate).
func (j *journey) onResolution(ctx workflow.Context, r NumberResolution) (UpdateResult, error) {
	r.Number = strings.TrimSpace(r.Number)
	j.resolution = &r
	msg := "number conflict: ask the partner again"
	if r.Number != "" {
		msg = "number conflict: corrected number " + r.Number + " given"
	}
	if r.Note != "" {
		msg += " (" + r.Note + ")"
	}
	j.commit(ctx, evBy("conflict-resolution", msg, r.Actor).say("event.conflict-resolution", "number", r.Number))
	return j.ok(msg), nil
}
