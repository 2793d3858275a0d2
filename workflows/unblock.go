package workflows

// Stuck codes: why the journey marked a case stuck (read model stuck_code, the stuck list's
// reason filter). The sentence for people is in stuck_reason.
const (
	StuckApprovalOverdue    = "approval-overdue"     // a person has not decided past the SLA
	StuckPartnerFailing     = "partner-failing"      // a partner call keeps failing past the SLA
	StuckInsuranceNotActive = "insurance-not-active" // training started without coverage
	StuckCorrectionOverdue  = "correction-overdue"   // BPJS refused the data and nobody corrected it
	StuckAttendanceMissing  = "attendance-missing"   // training ended with no attendance recorded
	StuckResultOverdue      = "result-overdue"       // the assessment result is late
	StuckNoAgreement        = "no-agreement"         // no active MoU covers the centre (and scheme)
)

// StuckCodes lists every stuck code, in the order of the path.
var StuckCodes = []string{
	StuckApprovalOverdue, StuckPartnerFailing, StuckInsuranceNotActive, StuckCorrectionOverdue,
	StuckAttendanceMissing, StuckResultOverdue, StuckNoAgreement,
}

// Unblocker is who can move a stuck case on, and what they should do.
type Unblocker struct {
	Role string `json:"role"`
	// Scope is the centre or LSP they act for; empty for a network-wide role.
	Scope  string `json:"scope,omitempty"`
	Action string `json:"action"`
}

// WhoUnblocks says who can move a case on that is stuck with code while waiting on waitingOn.
// The operator on call can always retry a failing partner call; this names the role whose
// action ends the wait, which is whom an escalation notifies.
func WhoUnblocks(code, waitingOn, centre, lsp string) Unblocker {
	switch {
	case code == StuckApprovalOverdue && waitingOn == WaitingLSPManager:
		return Unblocker{RoleLSPManager, lsp, "approve or reject the certificate"}
	case code == StuckApprovalOverdue:
		return Unblocker{RoleCentreAdmin, centre, "approve or reject the enrolment"}
	case code == StuckPartnerFailing && waitingOn == WaitingLSP:
		return Unblocker{RoleLSPManager, lsp, "get the LSP's system answering again, then retry the call"}
	case code == StuckPartnerFailing:
		return Unblocker{RoleInsurerLiaison, "", "get BPJS Ketenagakerjaan answering again, then retry the call"}
	case code == StuckInsuranceNotActive:
		return Unblocker{RoleInsurerLiaison, "", "get the coverage registered: training has started uninsured"}
	case code == StuckCorrectionOverdue:
		return Unblocker{RoleCentreAdmin, centre, "correct the participant's data refused by BPJS"}
	case code == StuckAttendanceMissing:
		return Unblocker{RoleCentreAdmin, centre, "record the training's attendance"}
	case code == StuckResultOverdue:
		return Unblocker{RoleAssessor, lsp, "record the assessment result"}
	case code == StuckNoAgreement:
		return Unblocker{RoleCoordinator, "", "activate an MoU that covers the centre and scheme"}
	default:
		return Unblocker{RoleOperator, "", "look into the case"}
	}
}
