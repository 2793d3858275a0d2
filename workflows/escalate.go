package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
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

// EscalationText words an escalation for a person who has not seen the case yet.
func EscalationText(in EscalationInput) string {
	loc := zoneOrUTC(in.Timezone)
	var b strings.Builder
	to := string(in.To.Role)
	if in.To.Scope != "" {
		to += " " + in.To.Scope
	}
	fmt.Fprintf(&b, "Eskalasi / escalation to %s: case %s (centre %s, stage %s)", to, in.CaseID, in.Centre, in.Stage)
	if in.StuckSince != nil {
		fmt.Fprintf(&b, " stuck since %s (%s)", in.StuckSince.In(loc).Format("2006-01-02 15:04"), ageWords(in.At.Sub(*in.StuckSince)))
	}
	if in.Reason != "" {
		b.WriteString(": " + in.Reason)
	}
	if in.Attempts > 0 {
		fmt.Fprintf(&b, "; %d failed attempts, last error: %s", in.Attempts, in.LastError)
	}
	fmt.Fprintf(&b, ". Please %s. Escalated by %s (%s)", in.To.Action, in.By.ID, in.By.Role)
	if in.Note != "" {
		b.WriteString(": " + in.Note)
	}
	b.WriteString(".")
	return b.String()
}
