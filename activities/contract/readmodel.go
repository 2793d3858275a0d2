package contract

import (
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// SyncInput writes a case's read-model row and its new events in one go.
type SyncInput struct {
	Case   CaseRow     `json:"case"`
	Events []CaseEvent `json:"events,omitempty"`
}

// CaseRow is a journey's state as the case read model keeps it. Version grows with every write,
// so a late or replayed write never overwrites a newer one. The JSON names are those of the
// store's rows the journeys sent before this type existed, plus nik_hash.
type CaseRow struct {
	CaseID      string        `json:"case_id"`
	WorkflowID  string        `json:"workflow_id"`
	PackageCode string        `json:"package"`
	CentreCode  string        `json:"centre"`
	LSPCode     string        `json:"lsp"`
	NIKHash     string        `json:"nik_hash"`
	Stage       vocab.Stage   `json:"stage"`
	Status      string        `json:"status"` // open | closed
	Outcome     vocab.Outcome `json:"outcome,omitempty"`
	WaitingOn   vocab.Party   `json:"waiting_on,omitempty"`
	Stuck       bool          `json:"stuck"`
	StuckCode   vocab.Reason  `json:"stuck_code,omitempty"`
	StuckReason string        `json:"stuck_reason,omitempty"`
	// StuckMessage and StuckParams word the stuck reason through the message catalogue.
	StuckMessage   string            `json:"stuck_message,omitempty"`
	StuckParams    map[string]string `json:"stuck_params,omitempty"`
	StuckSince     *time.Time        `json:"stuck_since,omitempty"`
	StageEnteredAt time.Time         `json:"stage_entered_at"`
	KPJ            string            `json:"kpj,omitempty"`
	CertificateNo  string            `json:"certificate_no,omitempty"`
	Version        int64             `json:"version"`
	UpdatedAt      time.Time         `json:"updated_at"`
	// Milestones reached, for the funnel and the placement rates.
	Milestones
	// FollowUp is the placement follow-up, for the follow-ups list and the inbox's self-reports
	// to confirm; nil out of the placement stage. Journeys recorded before it sent none, and
	// their histories replay: a local activity's input is not compared on replay.
	FollowUp *FollowUp `json:"followup,omitempty"`
}

// FollowUp is a journey's placement follow-up as the read model keeps it (store.FollowUp).
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
	// ConfirmUntil is set while a self-reported placement waits for staff to confirm it.
	ConfirmUntil *time.Time `json:"confirm_until,omitempty"`
	// Employer is the reported placement's employer or business name.
	Employer string `json:"employer,omitempty"`
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

// CaseEvent is one entry of a case's event log. Key is unique per case: a retried or replayed
// write with the same key is ignored.
type CaseEvent struct {
	CaseID    string      `json:"case_id"`
	Key       string      `json:"key"`
	Kind      string      `json:"kind"`
	Stage     vocab.Stage `json:"stage"`
	ActorID   string      `json:"actor_id,omitempty"`
	ActorRole vocab.Role  `json:"actor_role,omitempty"`
	Detail    string      `json:"detail,omitempty"`
	// Code and Params are the event as a message of the catalogue (package i18n) with its
	// parameters; empty for events recorded before codes were (the pages show Detail then).
	Code   string            `json:"code,omitempty"`
	Params map[string]string `json:"params,omitempty"`
	At     time.Time         `json:"at"`
	// Evidence is what a decision rests on, when the event brought it (journeys since the
	// evidence-in-read-model change).
	Evidence *EventEvidence `json:"evidence,omitempty"`
}

// EventEvidence is an assessment's result per unit and its assessor, or an enrolment check's
// warnings (the import's first), as the read model keeps them beside the event.
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

// UnitResult is one competency unit's result: K or BK.
type UnitResult struct {
	Unit   string `json:"unit"`
	Result string `json:"result"`
}

// SyncAgreementInput writes an agreement's read-model row and its new events in one go.
type SyncAgreementInput struct {
	Agreement AgreementRow     `json:"agreement"`
	Events    []AgreementEvent `json:"events,omitempty"`
}

// AgreementRow is an agreement's state as the coverage queries read it. Dates are calendar days
// (midnight UTC standing for the day in the network's time zone). Version grows with every
// write, so a late or replayed write never overwrites a newer one.
type AgreementRow struct {
	Number      string     `json:"number"`
	Kind        string     `json:"kind"`             // agreement.KindMoU or agreement.KindPKS
	Parent      string     `json:"parent,omitempty"` // for a PKS: the MoU it implements
	PartnerCode string     `json:"partner"`
	Title       string     `json:"title,omitempty"`
	Status      string     `json:"status"`              // one of the statuses in package agreement
	SignedOn    *time.Time `json:"signed_on,omitempty"` // nil while a draft
	Signatories []string   `json:"signatories"`
	ValidFrom   time.Time  `json:"valid_from"`
	ValidUntil  time.Time  `json:"valid_until"` // last day covered
	// TerminatedOn is the first day no longer covered after an early termination.
	TerminatedOn *time.Time `json:"terminated_on,omitempty"`
	EndReason    string     `json:"end_reason,omitempty"`
	Centres      []string   `json:"centres"`    // empty = all centres
	Schemes      []string   `json:"schemes"`    // for an LSP: certification schemes; empty = all
	TestSites    []string   `json:"test_sites"` // for an LSP: test sites (TUK); empty = all
	Predecessor  string     `json:"predecessor,omitempty"`
	Successor    string     `json:"successor,omitempty"`
	Flags        []string   `json:"flags"` // sentences that need someone's attention
	Amendments   int        `json:"amendments"`
	WorkflowID   string     `json:"workflow_id,omitempty"`
	Version      int64      `json:"version"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// AgreementEvent is one entry of an agreement's event log. Key is unique per agreement: a
// retried or replayed write with the same key is ignored.
type AgreementEvent struct {
	Number    string     `json:"number"`
	Key       string     `json:"key"`
	Kind      string     `json:"kind"`
	ActorID   string     `json:"actor_id,omitempty"`
	ActorRole vocab.Role `json:"actor_role,omitempty"`
	Detail    string     `json:"detail,omitempty"`
	At        time.Time  `json:"at"`
}
