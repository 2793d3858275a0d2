package vocab

// Role is the capacity in which someone acts: on a case's step (the actor's role), on an API
// token, as the one who can unblock a stuck case.
type Role string

// The roles.
const (
	RoleCentreAdmin    Role = "centre-admin"
	RoleLSPManager     Role = "lsp-manager"
	RoleAssessor       Role = "assessor"
	RoleInsurerLiaison Role = "insurer-liaison"
	RoleCoordinator    Role = "coordinator"
	RoleOperator       Role = "operator"
	RoleViewer         Role = "viewer" // reads only; a token role, never a step's actor
	RoleSystem         Role = "system" // a partner system delivering a file or a callback
	// RoleGraduate is a graduate answering their own follow-up link (issue 18): never a token's
	// or an account's role, only the actor of a self-report the link's page sends.
	RoleGraduate Role = "graduate"
)

var roles = []entry[Role]{
	{RoleCentreAdmin, Label{"Admin BLK", "Centre admin"}},
	{RoleLSPManager, Label{"Manajer sertifikasi LSP", "LSP certification manager"}},
	{RoleAssessor, Label{"Asesor", "Assessor"}},
	{RoleInsurerLiaison, Label{"Penghubung BPJS", "BPJS liaison"}},
	{RoleCoordinator, Label{"Koordinator BPVP", "BPVP coordinator"}},
	{RoleOperator, Label{"Operator piket", "Operator on call"}},
	{RoleViewer, Label{"Pemantau", "Viewer"}},
	{RoleSystem, Label{"Sistem mitra", "Partner system"}},
	{RoleGraduate, Label{"Lulusan (lapor mandiri)", "Graduate (self-reported)"}},
}

// Roles lists every role.
var Roles = valuesOf(roles)

// Label words the role for people.
func (r Role) Label() Label { return labelOf(roles, r) }
