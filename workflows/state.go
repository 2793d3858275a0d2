package workflows

import (
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// CaseState is the full state of one case, returned by the "state" query and as the result of a
// finished journey. It is what the API and CLI show; it holds no personal data.
type CaseState struct {
	CaseID         string        `json:"case_id"`
	PackageCode    string        `json:"package"`
	CentreCode     string        `json:"centre"`
	LSPCode        string        `json:"lsp"`
	Stage          vocab.Stage   `json:"stage"`
	StageEnteredAt time.Time     `json:"stage_entered_at"`
	Outcome        vocab.Outcome `json:"outcome,omitempty"`
	OutcomeReason  string        `json:"outcome_reason,omitempty"`
	WaitingOn      vocab.Party   `json:"waiting_on,omitempty"`
	Stuck          bool          `json:"stuck"`
	StuckCode      vocab.Reason  `json:"stuck_code,omitempty"`
	StuckReason    string        `json:"stuck_reason,omitempty"`
	// StuckMessage and StuckParams are the stuck reason as a message of the catalogue (package
	// i18n) with its parameters, so the pages word it in the reader's language.
	StuckMessage string            `json:"stuck_message,omitempty"`
	StuckParams  map[string]string `json:"stuck_params,omitempty"`
	StuckSince   *time.Time        `json:"stuck_since,omitempty"`
	Version      int64             `json:"version"`

	Enrolment     EnrolmentState     `json:"enrolment"`
	Insurance     InsuranceState     `json:"insurance"`
	Training      TrainingState      `json:"training"`
	Assessment    AssessmentState    `json:"assessment"`
	Certification CertificationState `json:"certification"`
	Placement     PlacementState     `json:"placement"`
	Withdrawal    *Decided           `json:"withdrawal,omitempty"`
}

// Decided records a human decision: who, when, what and why.
type Decided struct {
	Actor   Actor     `json:"actor"`
	At      time.Time `json:"at"`
	Approve bool      `json:"approve"`
	Reason  string    `json:"reason,omitempty"`
}

// EnrolmentState is the outcome of the enrolment rules and the approval.
type EnrolmentState struct {
	Checked  bool     `json:"checked"`
	Problems []string `json:"problems,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// ProblemNotes and WarningNotes are Problems and Warnings as messages of the catalogue, in
	// the same order, when every one of them has its code (journeys started since the rules and
	// warnings have codes); otherwise empty, and the readers word the English sentences.
	ProblemNotes []i18n.Message `json:"problem_notes,omitempty"`
	WarningNotes []i18n.Message `json:"warning_notes,omitempty"`
	Decision     *Decided       `json:"decision,omitempty"`
	// Seat is the case's seat in the package, taken at the approval (issue 13; nil before, and
	// for journeys that reserved it at the check).
	Seat *SeatState `json:"seat,omitempty"`
}

// SeatState is where an approved case stands for a seat: seated, or waiting at a position.
type SeatState struct {
	Seated       bool   `json:"seated"`
	Waiting      bool   `json:"waiting,omitempty"`
	Position     int    `json:"position,omitempty"` // on the waiting list when it was queued
	OverCapacity bool   `json:"over_capacity,omitempty"`
	FreedBy      string `json:"freed_by,omitempty"` // what gave a waiting case its seat
}

// InsuranceState is the BPJS Ketenagakerjaan coverage.
type InsuranceState struct {
	Agreement     string     `json:"agreement,omitempty"`
	KPJ           string     `json:"kpj,omitempty"`
	CoverageStart time.Time  `json:"coverage_start"`
	CoverageEnd   time.Time  `json:"coverage_end"`
	EndedEarly    *time.Time `json:"ended_early,omitempty"`
	DataError     string     `json:"data_error,omitempty"`
	Corrections   int        `json:"corrections"`
	LateForStart  bool       `json:"late_for_start"`
	Queued        bool       `json:"queued,omitempty"` // batch exchange: waiting for the branch office
	// Conflict is a KPJ BPJS returned that belongs to another person; set while it is being resolved.
	Conflict *NumberConflict `json:"conflict,omitempty"`
	// Reregistrations counts the registrations asked again after a conflict (each a new key).
	Reregistrations int `json:"reregistrations,omitempty"`
}

// NumberConflict is a partner number that belongs to another person's case (RevisionAudited).
type NumberConflict struct {
	Number string `json:"number"`
	// HeldBy is the case the number belongs to.
	HeldBy string    `json:"held_by"`
	Since  time.Time `json:"since"`
}

// TrainingState is attendance and graduation.
type TrainingState struct {
	Days      int     `json:"days"`
	Attended  *int    `json:"attended,omitempty"`
	Absent    *int    `json:"absent,omitempty"`
	Rate      float64 `json:"rate"`
	Minimum   float64 `json:"minimum"`
	Graduated bool    `json:"graduated"`
}

// AssessmentState is the competency test with the LSP.
type AssessmentState struct {
	Agreement string             `json:"agreement,omitempty"`
	Attempt   int                `json:"attempt"`
	Schedule  *ScheduleInfo      `json:"schedule,omitempty"`
	Results   []AssessmentRecord `json:"results,omitempty"`
	Competent *bool              `json:"competent,omitempty"`
	BKUnits   []string           `json:"bk_units,omitempty"`
	// Refused is the LSP's reason when it refused the assessment request itself (and, since
	// RevisionAudited, a person decided to go on without a certificate).
	Refused string `json:"refused,omitempty"`
	// Units are the scheme's units of competence, read when the assessment starts
	// (RevisionAudited): each result gives K or BK for every unit assessed, and competent means K
	// on every one of them across the attempts.
	Units []string `json:"units,omitempty"`
	// Ordered counts the re-assessments the LSP certification manager ordered after a refused
	// certificate; they do not use up journey.reassess_attempts.
	Ordered int `json:"ordered,omitempty"`
}

// ScheduleInfo is when and where an assessment takes place.
type ScheduleInfo struct {
	AssessmentID string    `json:"assessment_id"`
	Date         time.Time `json:"date"`
	TUK          string    `json:"tuk"`
	Assessor     string    `json:"assessor"`
	Units        []string  `json:"units,omitempty"`
}

// AssessmentRecord is one received result with who recorded it.
type AssessmentRecord struct {
	AssessmentID string       `json:"assessment_id"`
	AssessorID   string       `json:"assessor_id"`
	Units        []UnitResult `json:"units"`
	RecordedBy   Actor        `json:"recorded_by"`
	At           time.Time    `json:"at"`
}

// CertificationState is the manager's decision and the issued certificate.
type CertificationState struct {
	Decision    *Decided     `json:"decision,omitempty"`
	Certificate *Certificate `json:"certificate,omitempty"`
	// Refused is the LSP's reason when it refused to issue an approved certificate; since
	// RevisionAudited it is cleared when a person retries the issuance or orders a re-assessment.
	Refused string `json:"refused,omitempty"`
	// Uncertified is the coordinator's decision to go on without a certificate after an LSP's
	// refusal, with the reason (RevisionAudited).
	Uncertified *Decided `json:"uncertified,omitempty"`
	// Conflict is a certificate number the LSP issued that belongs to another person; set while
	// it is being resolved.
	Conflict *NumberConflict `json:"conflict,omitempty"`
	// Reissues counts the issuances asked again after a conflict (each a new key).
	Reissues int `json:"reissues,omitempty"`
}

// Certificate is an issued competency certificate.
type Certificate struct {
	Number     string    `json:"number"`
	IssueDate  time.Time `json:"issue_date"`
	ExpiryDate time.Time `json:"expiry_date"`
}

// PlacementState is the follow-up after graduation.
type PlacementState struct {
	GraduatedOn time.Time `json:"graduated_on"`
	// FollowUpFrom is when the follow-up months start counting: graduation, or the later end of
	// certification (RevisionAudited).
	FollowUpFrom  time.Time        `json:"followup_from,omitzero"`
	FollowUpsDone int              `json:"followups_done"`
	NextFollowUp  *time.Time       `json:"next_followup,omitempty"`
	Report        *PlacementReport `json:"report,omitempty"`
	ReportedAt    *time.Time       `json:"reported_at,omitempty"`
	// Contacts counts the follow-up contacts that found no placement; LastContact is the latest.
	Contacts    int           `json:"contacts,omitempty"`
	LastContact *ContactState `json:"last_contact,omitempty"`
	// Unanswered is the month of the latest follow-up whose message and reminder went
	// unanswered: the centre calls the graduate (0: none).
	Unanswered int `json:"unanswered,omitempty"`
	// Confirmation is staff's review of a self-reported placement (Settings.SelfReportConfirm):
	// nil when the report was staff's, or the journey closes on a self-report at once.
	Confirmation *ConfirmationState `json:"confirmation,omitempty"`
}

// The states of a self-reported placement's confirmation.
const (
	// ConfirmAwaiting: the case waits, until Until, for staff to confirm or correct it.
	ConfirmAwaiting = "awaiting"
	// ConfirmConfirmed: staff confirmed the self-report as given.
	ConfirmConfirmed = "confirmed"
	// ConfirmCorrected: staff reported the right placement; it replaced the self-report.
	ConfirmCorrected = "corrected"
	// ConfirmLapsed: nobody confirmed within the window; the case closed self-reported,
	// unconfirmed.
	ConfirmLapsed = "lapsed"
)

// ConfirmationState is where staff's review of a self-reported placement stands.
type ConfirmationState struct {
	Status string    `json:"status"`
	Until  time.Time `json:"until"`
	// Actor and At say who confirmed or corrected it, and when (none while awaiting or lapsed).
	Actor *Actor     `json:"actor,omitempty"`
	At    *time.Time `json:"at,omitempty"`
	// SelfReport is the graduate's report a staff correction replaced (Report is then staff's).
	SelfReport *PlacementReport `json:"self_report,omitempty"`
}

// AwaitingConfirmation says whether the case waits for staff to confirm or correct a
// self-reported placement.
func (p PlacementState) AwaitingConfirmation() bool {
	return p.Confirmation != nil && p.Confirmation.Status == ConfirmAwaiting
}

// ContactState is a follow-up contact recorded: its outcome, who recorded it and when.
type ContactState struct {
	Contact vocab.Contact `json:"contact"`
	Note    string        `json:"note,omitempty"`
	Actor   Actor         `json:"actor"`
	At      time.Time     `json:"at"`
}
