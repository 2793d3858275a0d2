package workflows

import (
	"time"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
)

// Names of the agreement workflow, its updates, signals and query: the wire contract with the
// API, the CLI and the journeys. Renaming one breaks running agreements.
const (
	// MoUWorkflowName runs one agreement (an MoU or a PKS) through its whole life.
	MoUWorkflowName = "MoU"

	UpdateMoUSign      = "mou-sign"
	UpdateMoUAmend     = "mou-amend"
	UpdateMoURenew     = "mou-renew"
	UpdateMoUTerminate = "mou-terminate"

	// SignalMoUParentChanged tells a PKS that its MoU changed (end date, scope, or its end).
	SignalMoUParentChanged = "mou-parent-changed"

	// SignalAgreementChanged tells a journey waiting for an agreement that one may now cover it:
	// the journey checks again at once instead of at its next poll.
	SignalAgreementChanged = "agreement-changed"
)

// DefaultReminderDays are the reminders before an agreement's end when none are configured.
var DefaultReminderDays = []int{90, 30, 7}

// DefaultMoUHistoryLimit is the history length past which an agreement continues as new; the
// server's own suggestion (well below its hard limits) also triggers it.
const DefaultMoUHistoryLimit = 10_000

// MoUInput starts an agreement workflow, and carries its whole state into the next run when it
// continues as new.
type MoUInput struct {
	State    MoUState    `json:"state"`
	Settings MoUSettings `json:"settings"`
	// Taken are the claim IDs the agreement took within the claim window, carried into the next
	// run by the worker's check (worker.Trust) so no claim is taken twice across continue-as-new.
	Taken []TakenClaim `json:"taken_claims,omitempty"`
	// Claim is kompeten's signed claim on this start (auth.SignArg): the API's for a create or
	// the registry seed, the worker's for a renewal's successor and a continue-as-new. The
	// worker ends an agreement started without one at its first task.
	Claim string `json:"claim,omitempty"`
}

// MoUSettings are the configurable rules, copied into the workflow when it starts (and carried
// over when it continues as new), so that a configuration change never alters its history.
type MoUSettings struct {
	// ReminderDays are the reminders to the coordinator before the end, in days (90, 30, 7).
	ReminderDays []int `json:"reminder_days"`
	// Timezone gives the calendar days of validity their start and end (WIB for East Java).
	Timezone string `json:"timezone,omitempty"`
	// Coordinator is who reminders go to (the registry code of the coordinating unit).
	Coordinator string `json:"coordinator,omitempty"`
	// HistoryLimit continues the workflow as new past this many history events (0: the default).
	HistoryLimit int `json:"history_limit,omitempty"`
	// ClaimWindow is how old a signed claim may be when the agreement judges it
	// (security.claim_window); 0 (agreements started before it was set) means DefaultClaimWindow.
	ClaimWindow time.Duration `json:"claim_window,omitempty"`
}

// Scope is what an agreement covers; an empty list means all.
type Scope struct {
	Centres   []string `json:"centres"`
	Schemes   []string `json:"schemes"`    // for an LSP: certification schemes
	TestSites []string `json:"test_sites"` // for an LSP: test sites (TUK)
}

// MoUState is the whole state of one agreement: returned by the "state" query, carried across
// continue-as-new, and the source of its read-model row. Dates are calendar days (midnight UTC
// standing for the day in Settings.Timezone).
type MoUState struct {
	Number      string     `json:"number"`
	Kind        string     `json:"kind"`             // mou | pks
	Parent      string     `json:"parent,omitempty"` // for a PKS: the MoU it implements
	PartnerCode string     `json:"partner"`
	Title       string     `json:"title,omitempty"`
	Status      string     `json:"status"`
	SignedOn    *time.Time `json:"signed_on,omitempty"`
	Signatories []string   `json:"signatories,omitempty"`
	ValidFrom   time.Time  `json:"valid_from"`
	ValidUntil  time.Time  `json:"valid_until"` // last day covered
	Scope       Scope      `json:"scope"`
	// TerminatedOn is the first day no longer covered after an early termination.
	TerminatedOn *time.Time  `json:"terminated_on,omitempty"`
	EndReason    string      `json:"end_reason,omitempty"`
	Amendments   []Amendment `json:"amendments,omitempty"`
	// RemindersSent lists the reminder offsets (days) already handled for the current end date;
	// carried across continue-as-new so that no reminder is sent twice or lost.
	RemindersSent []int      `json:"reminders_sent,omitempty"`
	Predecessor   string     `json:"predecessor,omitempty"`
	Successor     string     `json:"successor,omitempty"`
	SuccessorFrom *time.Time `json:"successor_from,omitempty"`
	// ParentLastDay is, for a PKS, the last day its MoU covers as last heard from the MoU.
	ParentLastDay *time.Time `json:"parent_last_day,omitempty"`
	// Flags are sentences that need someone's attention (a gap before the successor, a PKS
	// shortened with its MoU).
	Flags []string `json:"flags,omitempty"`
	// Origin says how the workflow began: "created", "seed" or "renewal".
	Origin  string `json:"origin,omitempty"`
	Version int64  `json:"version"`
	Seq     int    `json:"seq"`  // event sequence, the idempotency key of each agreement event
	Runs    int    `json:"runs"` // how many times the workflow continued as new
}

// Amendment is an addendum: it changes the end date or the scope, and says why.
type Amendment struct {
	Actor Actor  `json:"actor"`
	Ref   string `json:"ref,omitempty"` // the addendum's own number
	Note  string `json:"note,omitempty"`
	// ValidUntil is the new last day; nil keeps it.
	ValidUntil *time.Time `json:"valid_until,omitempty"`
	// Centres, Schemes and TestSites replace the scope lists that are given (an empty list
	// means all); nil keeps them.
	Centres   *[]string `json:"centres,omitempty"`
	Schemes   *[]string `json:"schemes,omitempty"`
	TestSites *[]string `json:"test_sites,omitempty"`
	At        time.Time `json:"at"` // set by the workflow
}

// SignRequest records the signing of a draft.
type SignRequest struct {
	Actor       Actor     `json:"actor"`
	SignedOn    time.Time `json:"signed_on"`
	Signatories []string  `json:"signatories"`
	// ValidFrom and ValidUntil replace the drafted window when given.
	ValidFrom  *time.Time `json:"valid_from,omitempty"`
	ValidUntil *time.Time `json:"valid_until,omitempty"`
}

// RenewRequest signs a successor that takes over from this agreement. The successor starts as
// its own workflow; a day between the two left uncovered is flagged as a gap.
type RenewRequest struct {
	Actor       Actor     `json:"actor"`
	Successor   string    `json:"successor"`
	Title       string    `json:"title,omitempty"`
	SignedOn    time.Time `json:"signed_on"`
	Signatories []string  `json:"signatories"`
	ValidFrom   time.Time `json:"valid_from"`
	ValidUntil  time.Time `json:"valid_until"`
	// Scope of the successor; nil keeps this agreement's scope.
	Scope *Scope `json:"scope,omitempty"`
	// Parent of a successor PKS (empty: the same MoU) and that MoU's last day, which the caller
	// looks up: a PKS may not outlive its MoU.
	Parent        string     `json:"parent,omitempty"`
	ParentLastDay *time.Time `json:"parent_last_day,omitempty"`
}

// Termination ends an agreement early.
type Termination struct {
	Actor Actor `json:"actor"`
	// On is the first day no longer covered; nil means today.
	On     *time.Time `json:"on,omitempty"`
	Reason string     `json:"reason"`
}

// ParentChange is what an MoU tells its PKS when its end date, scope or status changes.
type ParentChange = contract.ParentChange

// AgreementNotice is the payload of SignalAgreementChanged.
type AgreementNotice = contract.AgreementNotice

// MoUWorkflowID is the workflow ID of an agreement: derived from its number, so starting it
// twice (the seed at every `kompeten dev` start, say) starts nothing.
func MoUWorkflowID(number string) string { return "mou/" + number }
