package workflows

import (
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/notify"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// EscalationWorkflowName is the workflow type that delivers one escalation.
const EscalationWorkflowName = "Escalation"

// EscalationInput is one stuck case escalated to the role that can act. It holds codes, the
// reason sentence and partner error text, never personal data.
type EscalationInput struct {
	CaseID     string      `json:"case_id"`
	Centre     string      `json:"centre"`
	LSP        string      `json:"lsp"`
	Stage      vocab.Stage `json:"stage"`
	Reason     string      `json:"reason"`
	StuckSince *time.Time  `json:"stuck_since,omitempty"`
	Attempts   int         `json:"attempts,omitempty"`
	LastError  string      `json:"last_error,omitempty"`
	To         Unblocker   `json:"to"`
	By         Actor       `json:"by"`
	Note       string      `json:"note,omitempty"`
	At         time.Time   `json:"at"`
	Timezone   string      `json:"timezone,omitempty"`
	// Language is the escalation's language (escalation.language: "id", the default, or "en");
	// its words come from the message catalogue. Empty in escalations started before it:
	// Indonesian.
	Language string `json:"language,omitempty"`
	// Why is Reason as a message of the catalogue (the case's stuck message and parameters),
	// when the case has one: the escalation words it in its language; Reason stays the English.
	Why i18n.Message `json:"why,omitzero"`
	// Do is what to do as a message of the catalogue, for an action with parameters that
	// To.Code cannot word (a KPJ to cancel); empty otherwise.
	Do i18n.Message `json:"do,omitzero"`
}

// Escalation notifies the role that can unblock a case, retrying the webhook for a day. The
// escalation itself is already in the case's event log (written by the API with the actor).
func Escalation(ctx workflow.Context, in EscalationInput) error {
	msg := notify.Message{Kind: "escalation", To: in.To.Role, Scope: in.To.Scope, Text: EscalationText(in), At: in.At, Data: in}
	if err := contract.SendNotification.Execute(opsNotifyCall(ctx, 24*time.Hour), msg).Get(ctx, nil); err != nil {
		return fmt.Errorf("notify %s about case %s: %w", in.To.Role, in.CaseID, err)
	}
	return nil
}

// EscalationText words an escalation for a person who has not seen the case yet, in the
// input's language (escalation.text of the catalogue). The reason and the action come from their
// codes when the input has them, else as the English given; a partner's error and the note stay
// as written. It is deterministic (workflow code).
func EscalationText(in EscalationInput) string {
	rd := i18n.For(i18n.Parse(in.Language), zoneOrUTC(in.Timezone))
	to := rd.Label("role", string(in.To.Role))
	if in.To.Scope != "" {
		to += " " + in.To.Scope
	}
	reason := in.Reason
	if in.Why.Code != "" {
		if text, ok := rd.Lookup(in.Why.Code, in.Why.Params); ok {
			reason = text
		}
	}
	do := in.Do
	if do.Code == "" {
		do = i18n.Message{Code: in.To.Code}
	}
	action := in.To.Action
	if text, ok := rd.Lookup(do.Code, do.Params); ok && do.Code != "" {
		action = text
	}
	var since, age, attempts string
	if in.StuckSince != nil {
		since, age = in.StuckSince.In(rd.Loc).Format("2006-01-02 15:04"), rd.Duration(in.At.Sub(*in.StuckSince))
	}
	if in.Attempts > 0 {
		attempts = rd.Tf("stuck.attempts", "n", strconv.Itoa(in.Attempts), "error", in.LastError)
	}
	return rd.Tf("escalation.text", "to", to, "case", in.CaseID, "centre", in.Centre, "stage", string(in.Stage),
		"since", since, "age", age, "reason", reason, "attempts", attempts, "action", action,
		"by", in.By.ID, "by_role", string(in.By.Role), "note", in.Note)
}
