package workflows

import (
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Workflow, update, signal and query names: the wire contract with the API, the CLI and the
// partner file imports. Renaming one breaks running cases.
const (
	JourneyWorkflowName = "Journey"

	UpdateDecideEnrolment     = "decide-enrolment"
	UpdateCorrectParticipant  = "correct-participant"
	UpdateRecordAttendance    = "record-attendance"
	UpdateWithdraw            = "withdraw"
	UpdateRecordAssessment    = "record-assessment"
	UpdateDecideCertification = "decide-certification"
	UpdateReportPlacement     = "report-placement"
	// UpdateRecordFollowUp records a follow-up contact that reports no placement (still looking,
	// not reached) on the case's timeline; the case goes on (followUpContacts).
	UpdateRecordFollowUp = "record-follow-up"
	// UpdateSelfReportContact records a graduate's own answer through a follow-up link that
	// places nothing ("still looking"): a contact, the case stays in follow-up (issue 18).
	UpdateSelfReportContact = "self-report-contact"
	// UpdateConfirmPlacement is staff confirming a graduate's self-reported placement while the
	// case waits for it (Settings.SelfReportConfirm; step_confirm.go). Staff correct one with
	// UpdateReportPlacement instead.
	UpdateConfirmPlacement = "confirm-placement"
	// The ways out of an LSP's refusal (RevisionAudited); each takes a RefusalDecision.
	UpdateRetryRefused      = "retry-refused"
	UpdateOrderReassessment = "order-reassessment"
	UpdateCloseUncertified  = "close-uncertified"
	// UpdateResolveNumberConflict ends a KPJ or certificate-number conflict (RevisionAudited).
	UpdateResolveNumberConflict = "resolve-number-conflict"

	SignalAssessmentResult = "assessment-result"
	SignalKPJDelivered     = "kpj-delivered"

	QueryState = "state"
)

// JourneyInput starts one journey. It carries no personal data.
type JourneyInput struct {
	CaseID        string    `json:"case_id"`
	NIKHash       string    `json:"nik_hash"`
	PackageCode   string    `json:"package"`
	CentreCode    string    `json:"centre"`
	LSPCode       string    `json:"lsp"`
	InsurerCode   string    `json:"insurer"`
	Scheme        string    `json:"scheme"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	TrainingDays  int       `json:"training_days"`
	Capacity      int       `json:"capacity"`
	AttendanceMin float64   `json:"attendance_min"`
	AutoApprove   bool      `json:"auto_approve"`
	// Warnings found at import (e.g. NIK birth date mismatch) shown to the approver.
	ImportWarnings []string `json:"import_warnings,omitempty"`
	// ImportWarningNotes are ImportWarnings as messages of the catalogue, in the same order
	// (journeys started since the import's warnings have codes; empty before, when the pages
	// read the English sentences instead).
	ImportWarningNotes []i18n.Message `json:"import_warning_notes,omitempty"`
	Settings           Settings       `json:"settings"`
	// Revision is the journey code revision the case was started for (CurrentRevision); 0 for
	// cases started before revisions existed. It keeps a running case on the path it began.
	Revision int `json:"revision,omitempty"`
	// Claim is kompeten's signed claim that its API started this journey with exactly this
	// input (auth.SignArg, purpose api): the worker ends a journey started without one at its
	// first task. Journeys started before claims on starts have none.
	Claim string `json:"claim,omitempty"`
}

// Settings are the configurable rules, copied into each journey when it starts so that a
// configuration change never alters the history of a running case.
type Settings struct {
	MinAge           int   `json:"min_age"`
	MaxAge           int   `json:"max_age"`
	ReassessAttempts int   `json:"reassess_attempts"`
	CertificateYears int   `json:"certificate_years"`
	FollowUpMonths   []int `json:"followup_months"`
	// Month is the length of one follow-up month.
	Month              time.Duration `json:"month"`
	ResultPollInterval time.Duration `json:"result_poll_interval"`
	AgreementPoll      time.Duration `json:"agreement_poll"`
	InsuranceTailDays  int           `json:"insurance_tail_days"`
	// PartnerAttemptTimeout bounds one partner call attempt; 0 (cases started before it was
	// configurable) means one minute.
	PartnerAttemptTimeout time.Duration `json:"partner_attempt_timeout,omitempty"`
	// PartnerRetryInitial and PartnerRetryMax shape a failing partner's backoff; 0 (cases
	// started before they were configurable) means 2 seconds and 10 minutes.
	PartnerRetryInitial time.Duration `json:"partner_retry_initial,omitempty"`
	PartnerRetryMax     time.Duration `json:"partner_retry_max,omitempty"`
	// InsuranceAdapter is "http" (register through the API) or "batch" (wait for a KPJ file).
	InsuranceAdapter string `json:"insurance_adapter"`
	// AttendanceMode is "presence" (days attended are recorded) or "absence" (days missed are).
	AttendanceMode string `json:"attendance_mode"`
	SLA            SLA    `json:"sla"`
	// Timezone is used only to word dates in the case log (WIB for East Java).
	Timezone string `json:"timezone,omitempty"`
	// ClaimWindow is how old a signed claim may be when the journey judges it
	// (security.claim_window); 0 (cases started before it was set) means DefaultClaimWindow.
	ClaimWindow time.Duration `json:"claim_window,omitempty"`
	// MessageRetryWindow is how long a trainee's message is retried (messaging.retry_window);
	// 0 (cases started before messages) means a day.
	MessageRetryWindow time.Duration `json:"message_retry_window,omitempty"`
	// FollowUpReminder is how long after a follow-up's message a graduate who has not answered
	// gets one reminder, and how long after the reminder the follow-up is left to a phone call
	// (journey.followup_reminder); at most a quarter of Month, so a shortened month shortens it
	// too. 0 (cases started before reminders): no reminder.
	FollowUpReminder time.Duration `json:"followup_reminder,omitempty"`
	// SelfReportConfirm is how long a graduate's self-reported placement waits for staff to
	// confirm or correct it before the case closes with it unconfirmed
	// (journey.selfreport_confirm). 0 (cases started before it was configurable) means
	// DefaultSelfReportConfirm; journeys before RevisionQuiet have no window.
	SelfReportConfirm time.Duration `json:"selfreport_confirm,omitempty"`
}

// SLA is how long each wait may last before the case is marked stuck.
type SLA struct {
	EnrolmentApproval     time.Duration `json:"enrolment_approval"`
	Insurance             time.Duration `json:"insurance"`
	Correction            time.Duration `json:"correction"`
	AssessmentSchedule    time.Duration `json:"assessment_schedule"`
	AssessmentResult      time.Duration `json:"assessment_result"`
	CertificationApproval time.Duration `json:"certification_approval"`
	CertificateIssue      time.Duration `json:"certificate_issue"`
	Agreement             time.Duration `json:"agreement"`
}

// Actor is who performed a human step. Signature is the claim kompeten's API signed for the step
// (auth.SignArg): the worker refuses a step whose claim does not cover it. API reads never show
// it (WithoutSignatures).
type Actor struct {
	ID        string     `json:"id"`
	Role      vocab.Role `json:"role"`
	Signature string     `json:"signature,omitempty"`
}

// EnrolmentDecision approves or rejects an enrolment.
type EnrolmentDecision struct {
	Actor   Actor  `json:"actor"`
	Approve bool   `json:"approve"`
	Reason  string `json:"reason,omitempty"`
	// Waitlist approves onto the package's waiting list when no seat is left (issue 13).
	Waitlist bool `json:"waitlist,omitempty"`
	// OverCapacity approves beyond the package's capacity: a coordinator's decision, and Reason
	// says why (it lands in the case's timeline).
	OverCapacity bool `json:"over_capacity,omitempty"`
}

// Correction says the participant record was corrected (the corrected data itself is written
// to the participants table by the caller, so it never enters workflow history).
type Correction struct {
	Actor Actor  `json:"actor"`
	Note  string `json:"note,omitempty"`
}

// Attendance is a running count of days attended or missed.
type Attendance struct {
	Actor    Actor `json:"actor"`
	Attended *int  `json:"attended,omitempty"`
	Absent   *int  `json:"absent,omitempty"`
}

// Withdrawal ends a case early.
type Withdrawal struct {
	Actor  Actor  `json:"actor"`
	Reason string `json:"reason"`
}

// UnitResult is one competency unit's result: "K" or "BK".
type UnitResult struct {
	Unit   string `json:"unit"`
	Result string `json:"result"`
}

// AssessmentResult is an assessor's recommendation, per unit.
type AssessmentResult struct {
	Actor        Actor        `json:"actor"`
	AssessmentID string       `json:"assessment_id,omitempty"`
	AssessorID   string       `json:"assessor_id"`
	Units        []UnitResult `json:"units"`
}

// CertificationDecision approves or rejects issuing a certificate.
type CertificationDecision struct {
	Actor   Actor  `json:"actor"`
	Approve bool   `json:"approve"`
	Reason  string `json:"reason,omitempty"`
}

// RefusalDecision is a person's way out of an LSP's refusal of the assessment request or of the
// certificate (RevisionAudited): retry the request once the LSP has fixed its record
// (UpdateRetryRefused), re-assess Units — every unit of the scheme when empty — after a refused
// certificate (UpdateOrderReassessment), or go on to placement follow-up without a certificate
// (UpdateCloseUncertified). Reason is required for the last two and recorded with each.
type RefusalDecision struct {
	Actor  Actor    `json:"actor"`
	Reason string   `json:"reason,omitempty"`
	Units  []string `json:"units,omitempty"`
}

// PlacementReport closes a case as placed.
type PlacementReport struct {
	Actor    Actor           `json:"actor"`
	Category vocab.Placement `json:"category"`
	Employer string          `json:"employer,omitempty"` // employer or business name
	Start    time.Time       `json:"start"`
	// SelfReported marks a report the graduate made through a follow-up link (issue 18): its
	// actor is the link (role graduate), and the read model and the tracer study count it as
	// self-reported. Staff reports leave it false.
	SelfReported bool `json:"self_reported,omitempty"`
}

// PlacementConfirmation is staff confirming a self-reported placement as the graduate gave it
// (UpdateConfirmPlacement). Note is kept on the timeline.
type PlacementConfirmation struct {
	Actor Actor  `json:"actor"`
	Note  string `json:"note,omitempty"`
}

// FollowUpContact is a placement follow-up contact that found no placement: the graduate is
// still looking for work, or was not reached. It is recorded on the case's timeline and in
// its state; the follow-ups go on, and only a placement report or the last follow-up closes
// the case.
type FollowUpContact struct {
	Actor   Actor         `json:"actor"`
	Contact vocab.Contact `json:"contact"`
	Note    string        `json:"note,omitempty"`
}

// KPJDelivery is a membership number returned by the BPJS branch office in a batch file.
type KPJDelivery struct {
	Actor Actor  `json:"actor"`
	KPJ   string `json:"kpj"`
}

// NumberResolution ends a conflict over a partner number (a KPJ, or a certificate number, that
// belongs to another person). Number is the corrected number as the partner confirmed it; empty
// asks the partner again under a new idempotency key, once it has corrected its record (not for
// a KPJ from the batch exchange, whose registration is in the next file already). The number is
// claimed like the partner's own answer: one that belongs to another person too leaves the case
// stuck.
type NumberResolution struct {
	Actor  Actor  `json:"actor"`
	Number string `json:"number,omitempty"`
	Note   string `json:"note,omitempty"`
}

// UpdateResult is what a caller gets back from an accepted update.
type UpdateResult struct {
	CaseID  string      `json:"case_id"`
	Stage   vocab.Stage `json:"stage"`
	Message string      `json:"message"`
}
