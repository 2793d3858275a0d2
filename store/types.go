package store

import (
	"errors"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// ErrExists is returned when a create would overwrite an existing row.
var ErrExists = errors.New("already exists")

// Centre is a training centre (BLK) from the registry.
type Centre struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Owner       string `json:"owner"`
	RegencyCode string `json:"regency_code,omitempty"`
	RegencyName string `json:"regency_name,omitempty"` // when the registry names the area but not its code
}

// Partner is an insurer or certification body (LSP) that the network has an MoU with.
type Partner struct {
	Code string `json:"code"`
	Kind string `json:"kind"` // insurer | certifier
	Name string `json:"name"`
}

// Package is a training package: one cohort of one trade at one centre.
type Package struct {
	Code          string    `json:"code"`
	CentreCode    string    `json:"centre"`
	Trade         string    `json:"trade"`
	Scheme        string    `json:"scheme"`
	LSPCode       string    `json:"lsp"`
	StartDate     time.Time `json:"start_date"`
	EndDate       time.Time `json:"end_date"`
	Hours         int       `json:"hours"`
	Capacity      int       `json:"capacity"`
	AttendanceMin float64   `json:"attendance_min"` // fraction 0..1
	AutoApprove   bool      `json:"auto_approve"`
	CreatedAt     time.Time `json:"created_at"`
}

// Participant is a person's identity record; the only table holding a NIK in clear.
type Participant struct {
	NIKHash    string    `json:"nik_hash"`
	NIK        string    `json:"-"`
	Name       string    `json:"name"`
	Sex        string    `json:"sex"`
	BirthPlace string    `json:"birth_place"`
	BirthDate  time.Time `json:"birth_date"`
	Phone      string    `json:"phone"`
	Email      string    `json:"email"`
	Education  string    `json:"education"`
	Address    string    `json:"address"`
	// MessageConsent is the trainee's consent to messages (the cohort file's persetujuan_pesan
	// column), false once they replied STOP (issue 18).
	MessageConsent bool `json:"message_consent"`
}

// Case is one row of the case read model: the last known state of one journey.
type Case struct {
	CaseID      string        `json:"case_id"`
	WorkflowID  string        `json:"workflow_id"`
	PackageCode string        `json:"package"`
	CentreCode  string        `json:"centre"`
	LSPCode     string        `json:"lsp"`
	NIKHash     string        `json:"-"`
	Stage       vocab.Stage   `json:"stage"`
	Status      string        `json:"status"` // open | closed
	Outcome     vocab.Outcome `json:"outcome,omitempty"`
	WaitingOn   vocab.Party   `json:"waiting_on,omitempty"`
	Stuck       bool          `json:"stuck"`
	StuckCode   vocab.Reason  `json:"stuck_code,omitempty"`
	StuckReason string        `json:"stuck_reason,omitempty"`
	// StuckMessage and StuckParams are the stuck reason as a message of the catalogue (package
	// i18n) with its parameters; empty for a case marked stuck before the journey recorded them.
	StuckMessage   string            `json:"stuck_message,omitempty"`
	StuckParams    map[string]string `json:"stuck_params,omitempty"`
	StuckSince     *time.Time        `json:"stuck_since,omitempty"`
	StageEnteredAt time.Time         `json:"stage_entered_at"`
	KPJ            string            `json:"kpj,omitempty"`
	CertificateNo  string            `json:"certificate_no,omitempty"`
	Attempts       int               `json:"attempts,omitempty"`
	LastError      string            `json:"last_error,omitempty"`
	Version        int64             `json:"version"` // monotonic per case; older writes are ignored
	UpdatedAt      time.Time         `json:"updated_at"`

	// Milestones reached, for the funnel and the placement rates.
	Milestones
	// EscalatedAt and EscalatedTo say when and to which role the case was last escalated; they
	// are written by the operations API, not by the projection.
	EscalatedAt *time.Time `json:"escalated_at,omitempty"`
	EscalatedTo vocab.Role `json:"escalated_to,omitempty"`

	// FollowUp is the placement follow-up as the journey last wrote it (migration 00025); nil
	// when the row does not know it: the case is not in follow-up, or its journey has not
	// written since the columns came (kompeten doctor --repair fills them). It is not in the
	// case's JSON: the follow-ups list (GET /api/v1/followups) words it.
	FollowUp *FollowUp `json:"-"`

	// Person is the participant as lists show them, when the reader may see it (AttachPeople);
	// it is not a column of the read model.
	Person *Person `json:"person,omitempty"`
}

// Milestones are the steps of the path a case has reached; each stays true once reached.
type Milestones struct {
	Enrolled  bool `json:"enrolled"`  // enrolment approved
	Insured   bool `json:"insured"`   // KPJ received
	Graduated bool `json:"graduated"` // trained: attendance met at the last training day
	Assessed  bool `json:"assessed"`  // an assessment result recorded
	Competent bool `json:"competent"` // kompeten (K) on every unit
	Certified bool `json:"certified"` // certificate issued
	// GraduatedOn starts the placement clock (the last training day).
	GraduatedOn *time.Time `json:"graduated_on,omitempty"`
	// PlacementCategory is formal, informal, self-employed or continuing-study once reported.
	PlacementCategory vocab.Placement `json:"placement_category,omitempty"`
	// PlacedOn is when the reported work or study started.
	PlacedOn *time.Time `json:"placed_on,omitempty"`
	// PlacementSelfReported says the placement report came from the graduate through a
	// follow-up link (issue 18), not from staff.
	PlacementSelfReported bool `json:"placement_self_reported,omitempty"`
	// CertificateIssuedOn and CertificateExpiresOn are the certificate's dates, for the public
	// verification page.
	CertificateIssuedOn  *time.Time `json:"certificate_issued_on,omitempty"`
	CertificateExpiresOn *time.Time `json:"certificate_expires_on,omitempty"`
}

// FollowUp is a graduate's placement follow-up in the read model: what the follow-ups page and
// the inbox's "to confirm" section show, written by the journey from its placement state.
type FollowUp struct {
	// Next is when the next follow-up falls due; nil when none is left.
	Next *time.Time `json:"next,omitempty"`
	// Missed counts the follow-ups that passed with no placement reported.
	Missed int `json:"missed"`
	// Unanswered is the month whose follow-up message and reminder went unanswered (0: none).
	Unanswered int `json:"unanswered,omitempty"`
	// Contact, ContactAt and ContactNote are the latest contact that found no placement.
	Contact     vocab.Contact `json:"contact,omitempty"`
	ContactAt   *time.Time    `json:"contact_at,omitempty"`
	ContactNote string        `json:"contact_note,omitempty"`
	// ConfirmUntil is set while a self-reported placement waits for staff to confirm it: the
	// end of the window, after which the case closes on the graduate's report.
	ConfirmUntil *time.Time `json:"confirm_until,omitempty"`
	// Employer is the reported placement's employer or business name.
	Employer string `json:"employer,omitempty"`
}

// Event is one entry of a case's event log.
type Event struct {
	ID        int64       `json:"id"`
	CaseID    string      `json:"case_id"`
	Key       string      `json:"-"` // unique per case; a replayed write with the same key is ignored
	Kind      string      `json:"kind"`
	Stage     vocab.Stage `json:"stage"`
	ActorID   string      `json:"actor_id,omitempty"`
	ActorRole vocab.Role  `json:"actor_role,omitempty"`
	Detail    string      `json:"detail,omitempty"`
	// Code and Params are the event as a message of the catalogue (package i18n) with its
	// parameters; empty for events recorded before the journey recorded them (Detail words those).
	Code   string            `json:"code,omitempty"`
	Params map[string]string `json:"params,omitempty"`
	At     time.Time         `json:"at"`
	// Evidence is what a decision rests on, when the event brought it (see EventEvidence).
	Evidence *EventEvidence `json:"evidence,omitempty"`
}

// EventEvidence is recorded by the journey with the event that brought it: an assessment's
// result per unit and its assessor (assessment-result), the import's and the check's warnings
// (enrolment-checked). The inbox shows it beside the decision.
type EventEvidence struct {
	Units    []UnitResult `json:"units,omitempty"`
	Assessor string       `json:"assessor,omitempty"`
	Warnings []string     `json:"warnings,omitempty"`
	// WarningNotes are Warnings as messages of the catalogue, in the same order, and Rules the
	// enrolment check's rules not met as messages (journeys since the warnings and rules have
	// codes; the English of the rules stays in the event's detail).
	WarningNotes []i18n.Message `json:"warning_notes,omitempty"`
	Rules        []i18n.Message `json:"rules,omitempty"`
}

// UnitResult is one competency unit's result: K (kompeten) or BK (belum kompeten).
type UnitResult struct {
	Unit   string `json:"unit"`
	Result string `json:"result"`
}

// CaseFilter narrows a case list; empty fields match everything.
type CaseFilter struct {
	// Scope keeps only the cases a scoped reader may see (see Scope).
	Scope
	PackageCode string
	CentreCode  string
	LSPCode     string
	Stage       vocab.Stage
	Status      string
	StuckOnly   bool
	// Name keeps the cases of participants whose name holds these words, in order, ignoring
	// case; NIKHash those of one person. Both are personal data: they come from a request
	// body, never from a URL.
	Name    string
	NIKHash string
	Limit   int
	Offset  int
}

// BatchRegistration is a BPJS registration waiting in the batch exchange for the branch office.
type BatchRegistration struct {
	CaseID     string     `json:"case_id"`
	WorkflowID string     `json:"workflow_id"`
	Payload    []byte     `json:"payload"` // JSON of partners.Registration
	CreatedAt  time.Time  `json:"created_at"`
	ExportedAt *time.Time `json:"exported_at,omitempty"`
	KPJ        string     `json:"kpj,omitempty"`
	// DeliveredAt is when the imported KPJ was handed to the waiting workflow; a row with a KPJ
	// but no DeliveredAt is retried after a crash.
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
	// FlaggedAt is when a KPJ came back for a case that had already closed (a withdrawal): it
	// is kept, not delivered, and someone is asked to cancel that membership.
	FlaggedAt *time.Time `json:"flagged_at,omitempty"`
}
