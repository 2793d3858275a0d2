package workflows

import "github.com/bpvp-sidoarjo/kompeten/vocab"

// Unblocker is who can move a stuck case on, and what they should do.
type Unblocker struct {
	Role vocab.Role `json:"role"`
	// Scope is the centre or LSP they act for; empty for a network-wide role.
	Scope  string `json:"scope,omitempty"`
	Action string `json:"action"`
	// Code is Action as a message of the catalogue (package i18n): the pages word it.
	Code string `json:"code,omitempty"`
}

// BatchFileAction is what moves a registration waiting in the BPJS batch exchange: there is no
// call to retry.
const BatchFileAction = "send the pending registrations to the BPJS branch office (kompeten insurance export) and import the KPJ file it returns (kompeten insurance import)"

// WhoUnblocks says who can move a case on that is stuck with code while waiting on waitingOn.
// The operator on call can always retry a failing partner call; this names the role whose
// action ends the wait, which is whom an escalation notifies.
func WhoUnblocks(code vocab.Reason, waitingOn vocab.Party, centre, lsp string) Unblocker {
	switch {
	case code == vocab.StuckApprovalOverdue && waitingOn == vocab.WaitingLSPManager:
		return Unblocker{vocab.RoleLSPManager, lsp, "approve or reject the certificate", "unblock.approve-certificate"}
	case code == vocab.StuckApprovalOverdue:
		return Unblocker{vocab.RoleCentreAdmin, centre, "approve or reject the enrolment", "unblock.approve-enrolment"}
	case code == vocab.StuckPartnerFailing && waitingOn == vocab.WaitingLSP:
		return Unblocker{vocab.RoleLSPManager, lsp, "get the LSP's system answering again, then retry the call", "unblock.lsp-failing"}
	case code == vocab.StuckPartnerFailing:
		return Unblocker{vocab.RoleInsurerLiaison, "", "get BPJS Ketenagakerjaan answering again, then retry the call", "unblock.bpjs-failing"}
	case code == vocab.StuckBatchFileOverdue, code == vocab.StuckInsuranceNotActive && waitingOn == vocab.WaitingBatchFile:
		return Unblocker{vocab.RoleInsurerLiaison, "", BatchFileAction, "unblock.batch-file"}
	case code == vocab.StuckInsuranceNotActive:
		return Unblocker{vocab.RoleInsurerLiaison, "", "get the coverage registered: training has started uninsured", "unblock.insurance-not-active"}
	case code == vocab.StuckCorrectionOverdue:
		return Unblocker{vocab.RoleCentreAdmin, centre, "correct the participant's data refused by BPJS", "unblock.correction"}
	case code == vocab.StuckAttendanceMissing:
		return Unblocker{vocab.RoleCentreAdmin, centre, "record the training's attendance", "unblock.attendance"}
	case code == vocab.StuckResultOverdue:
		return Unblocker{vocab.RoleAssessor, lsp, "record the assessment result", "unblock.result"}
	case code == vocab.StuckCertificateRefused:
		return Unblocker{vocab.RoleLSPManager, lsp, "fix the LSP's record, then retry the issuance (kompeten certificate retry) or order a re-assessment; the coordinator may close it without a certificate", "unblock.certificate-refused"}
	case code == vocab.StuckAssessmentRefused:
		return Unblocker{vocab.RoleLSPManager, lsp, "fix the LSP's record, then retry the assessment request (kompeten certificate retry); the coordinator may close it without a certificate", "unblock.assessment-refused"}
	case code == vocab.StuckSchemeUnitsMissing:
		return Unblocker{vocab.RoleCoordinator, "", "add the scheme's units of competence to the registry (registry.yaml), then run kompeten migrate", "unblock.scheme-units"}
	case code == vocab.StuckKPJConflict:
		return Unblocker{vocab.RoleInsurerLiaison, "", "have BPJS Ketenagakerjaan correct the KPJ, then give the corrected number or ask BPJS again (kompeten resolve)", "unblock.kpj-conflict"}
	case code == vocab.StuckCertificateConflict:
		return Unblocker{vocab.RoleLSPManager, lsp, "have the LSP correct the certificate number, then give the corrected number or ask the LSP to issue again (kompeten resolve)", "unblock.certificate-conflict"}
	case code == vocab.StuckNoAgreement:
		return Unblocker{vocab.RoleCoordinator, "", "activate an MoU that covers the centre and scheme", "unblock.no-agreement"}
	default:
		return Unblocker{vocab.RoleOperator, "", "look into the case", "unblock.operator"}
	}
}
