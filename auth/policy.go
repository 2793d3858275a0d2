package auth

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Action is something a person asks kompeten to do that changes a case, a package, an
// agreement or the system. The journey's human steps are actions named after their update
// (workflows.Update*); the others are named here. Reads are not actions: every role reads,
// narrowed by scope (MayActOn).
type Action string

// The actions that are not a journey update.
const (
	// ActionCreatePackage creates a training package (POST /api/v1/packages).
	ActionCreatePackage Action = "create-package"
	// ActionUpdatePackage changes a package (PATCH /api/v1/packages/{code}): its capacity (a raise
	// seats the waiting list, so it is the coordinator's, like approving over capacity), dates,
	// hours, minimum attendance, automatic approval and LSP, which reach every running journey.
	ActionUpdatePackage Action = "update-package"
	// ActionEnrol enrols people in a package (POST /api/v1/packages/{code}/enrolments), or asks
	// which of them are already enrolled there (POST /api/v1/packages/{code}/enrolled).
	ActionEnrol Action = "enrol"
	// ActionRecordRegister records a package's day register (PUT .../attendance/{date}).
	ActionRecordRegister Action = "record-register"
	// ActionCreateAgreement creates an MoU or a PKS (POST /api/v1/mous).
	ActionCreateAgreement Action = "create-agreement"
	// ActionChangeAgreement signs, amends or renews an agreement.
	ActionChangeAgreement Action = "change-agreement"
	// ActionTerminateAgreement ends an agreement early.
	ActionTerminateAgreement Action = "terminate-agreement"
	// ActionRetry resets the backoff of a case's failing partner calls.
	ActionRetry Action = "retry"
	// ActionEscalate escalates a stuck case to whoever unblocks it.
	ActionEscalate Action = "escalate"
	// ActionImportBatch imports the BPJS batch answer file.
	ActionImportBatch Action = "import-batch"
	// ActionExportBatch takes the BPJS batch file (it covers the whole network).
	ActionExportBatch Action = "export-batch"
	// ActionDecideMany takes one enrolment or certification decision on many cases (POST
	// /api/v1/decisions); each case is then checked as its own decision (the update's row, the
	// caller's scope), so this row only lets the request in.
	ActionDecideMany Action = "decide-many"
	// ActionRevokeCertificate revokes a case's issued certificate (POST
	// /api/v1/cases/{id}/certificate/revoke): the LSP withdrew it. The LSP manager (for its own
	// LSPs, by scope) and the coordinator, like retrying a refused certificate; the operator
	// decides nothing about people.
	ActionRevokeCertificate Action = "revoke-certificate"
	// ActionDoctor compares Temporal with the read model and repairs drift.
	ActionDoctor Action = "doctor"
	// ActionManageAccounts lists, creates, disables and resets people's login accounts and
	// hands out their one-time set-password links (/api/v1/accounts). Listing is included: the
	// list names everyone who may log in, so it is not a read every role has.
	ActionManageAccounts Action = "manage-accounts"
	// ActionSelfReport is a graduate's answer through a follow-up link (GET and POST
	// /lapor/{token}; issue 18): public, bound to the signed, single-use link rather than to a
	// login. The page sends it to the journey as a report-placement (or self-report-contact)
	// update with the role graduate, which the journey admits only for a self-report.
	ActionSelfReport Action = "self-report"
)

// Role shorthands for the table.
const (
	centreAdmin = vocab.RoleCentreAdmin
	lspManager  = vocab.RoleLSPManager
	liaison     = vocab.RoleInsurerLiaison
	coordinator = vocab.RoleCoordinator
	operator    = vocab.RoleOperator
)

// policy is the one table of who may do what: the API's handlers and the pages' buttons and
// forms both ask it (Allowed, Identity.May), so a page can neither offer nor take an action
// the API refuses. The viewer is in no row.
//
// The operator runs the system: it retries and escalates stuck cases, runs the doctor, takes
// and imports the BPJS batch file, and fixes what blocks a case (corrections, withdrawals,
// number conflicts). It does not decide about people or contracts: no packages, enrolments,
// registers, agreements, enrolment or certification decisions (least privilege; a coordinator
// does those). The journey's validators check the human steps' roles again.
var policy = map[Action][]vocab.Role{
	ActionCreatePackage:      {centreAdmin, coordinator},
	ActionUpdatePackage:      {coordinator},
	ActionEnrol:              {centreAdmin, coordinator},
	ActionRecordRegister:     {centreAdmin, coordinator},
	ActionCreateAgreement:    {coordinator},
	ActionChangeAgreement:    {coordinator},
	ActionTerminateAgreement: {coordinator},
	ActionRetry:              {coordinator, operator},
	ActionEscalate:           {coordinator, operator},
	ActionImportBatch:        {liaison, operator},
	ActionExportBatch:        {liaison, operator, coordinator},
	ActionDoctor:             {coordinator, operator},
	ActionManageAccounts:     {coordinator},
	ActionDecideMany:         {centreAdmin, coordinator, lspManager},
	ActionRevokeCertificate:  {lspManager, coordinator},
	ActionSelfReport:         {vocab.RoleGraduate},

	Action(workflows.UpdateDecideEnrolment):     {centreAdmin, coordinator},
	Action(workflows.UpdateCorrectParticipant):  {centreAdmin, coordinator, operator, liaison},
	Action(workflows.UpdateRecordAttendance):    {centreAdmin, coordinator},
	Action(workflows.UpdateWithdraw):            {centreAdmin, coordinator, operator},
	Action(workflows.UpdateRecordAssessment):    {lspManager},
	Action(workflows.UpdateDecideCertification): {lspManager},
	Action(workflows.UpdateReportPlacement):     {centreAdmin, coordinator},
	Action(workflows.UpdateRecordFollowUp):      {centreAdmin, coordinator},
	Action(workflows.UpdateRetryRefused):        {lspManager, coordinator},
	Action(workflows.UpdateOrderReassessment):   {lspManager},
	Action(workflows.UpdateCloseUncertified):    {coordinator},
	// The journey admits the insurer liaison for a KPJ and the LSP manager for a certificate.
	Action(workflows.UpdateResolveNumberConflict): {liaison, lspManager, operator, coordinator},

	// Confirming a graduate's self-reported placement is the staff's who report placements.
	Action(workflows.UpdateConfirmPlacement): {centreAdmin, coordinator},
	// Sent by the API to every running journey of a package a coordinator edited (never one case
	// alone: no /cases action names it); the journey admits the coordinator only.
	Action(workflows.UpdatePackageChanged): {coordinator},
}

// Actions lists every action in the table, sorted (for tests and documentation).
func Actions() []Action {
	out := make([]Action, 0, len(policy))
	for a := range policy {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// RolesFor are the roles that may take action; nil for an action that is not in the table.
func RolesFor(a Action) []vocab.Role { return slices.Clone(policy[a]) }

// Allowed says whether role may take action a. An action missing from the table is allowed to
// nobody, so a new endpoint is closed until someone decides who may use it.
func Allowed(role vocab.Role, a Action) bool { return slices.Contains(policy[a], role) }

// May says whether the identity's role may take action a (its scope aside: see MayOn).
func (id Identity) May(a Action) bool { return Allowed(id.Role, a) }

// MayOn says whether the identity may take action a on a case of centre and LSP: its role
// (Allowed) and its scope (MayActOn).
func (id Identity) MayOn(a Action, centre, lsp string) bool {
	return id.May(a) && id.MayActOn(centre, lsp)
}

// Refusal is the sentence a role refusal carries: the role, the action and who may take it.
func Refusal(role vocab.Role, a Action) string {
	roles := policy[a]
	if len(roles) == 0 {
		return fmt.Sprintf("role %s may not %s; no role may", role, a)
	}
	return fmt.Sprintf("role %s may not %s; allowed: %s", role, a, strings.Join(vocab.Strings(roles), ", "))
}
