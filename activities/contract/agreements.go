package contract

import "time"

// NotifyInput asks to tell the journeys waiting for an agreement in this scope to check again.
type NotifyInput struct {
	Number      string   `json:"number"`
	PartnerCode string   `json:"partner"`
	Centres     []string `json:"centres"`
	Schemes     []string `json:"schemes"`
	// Signal is the journeys' signal name (the journeys own it; activities cannot import them).
	Signal string `json:"signal"`
}

// NotifyResult says how many waiting journeys were told.
type NotifyResult struct {
	Waiting   int `json:"waiting"`
	Signalled int `json:"signalled"`
}

// ReminderInput is one reminder to the coordinator before an agreement ends.
type ReminderInput struct {
	Number      string    `json:"number"`
	Kind        string    `json:"kind"`
	PartnerCode string    `json:"partner"`
	Coordinator string    `json:"coordinator"`
	LastDay     time.Time `json:"last_day"`
	DaysLeft    int       `json:"days_left"`
	Successor   string    `json:"successor,omitempty"`
	// Key is stable per reminder (number, end date, offset): the webhook receiver may see a
	// retried delivery and can drop it by key.
	Key string `json:"key"`
}

// ParentChange is what an MoU tells its PKS when its end date, scope or status changes: the
// argument of TellPKS, and the signal the PKS receives.
type ParentChange struct {
	Parent  string    `json:"parent"`
	Status  string    `json:"status"`
	LastDay time.Time `json:"last_day"` // the last day the MoU covers now
	// TerminatedOn is set when the MoU is terminated early (the first day not covered).
	TerminatedOn *time.Time `json:"terminated_on,omitempty"`
	Centres      []string   `json:"centres"`
	Schemes      []string   `json:"schemes"`
	Reason       string     `json:"reason"`
	// Claim is the worker's signed claim on the signal (auth.SignArg, purpose worker), set by
	// TellPKS for each PKS it tells: a PKS takes no news its MoU's workflow did not send.
	Claim string `json:"claim,omitempty"`
}

// AgreementNotice tells a journey waiting for an agreement that one may now cover it (the
// journeys' agreement-changed signal).
type AgreementNotice struct {
	Number      string `json:"number"`
	PartnerCode string `json:"partner"`
	// Claim is the worker's signed claim on the signal (auth.SignArg, purpose worker).
	Claim string `json:"claim,omitempty"`
}

// TellPKSInput sends a ParentChange to every live PKS under an MoU.
type TellPKSInput struct {
	Change ParentChange `json:"change"`
	Signal string       `json:"signal"`
	// WorkflowIDPrefix turns a PKS number into its workflow ID (the workflows own the scheme).
	WorkflowIDPrefix string `json:"workflow_id_prefix"`
}

// TellPKSResult lists the PKS told.
type TellPKSResult struct {
	Told []string `json:"told,omitempty"`
}
