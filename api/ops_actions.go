package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// caseWorkflow shows the live workflow of a case the caller may read; any other is 404.
func (s *Server) caseWorkflow(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.readableCase(w, r, r.PathValue("id")); !ok {
		return
	}
	info, err := s.Svc.Describe(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

// RetryRequest asks to retry a case's failing partner calls now. The caller's token says who
// asks; Actor is read only by a server that requires no tokens (handler and system tests).
type RetryRequest struct {
	Actor workflows.Actor `json:"actor,omitzero"`
}

// RetryResponse names the calls that were retried.
type RetryResponse struct {
	CaseID  string                `json:"case_id"`
	Reset   []starter.PendingCall `json:"reset"`
	Message string                `json:"message"`
}

// retryCase resets the backoff of the case's failing calls (Temporal ResetActivity) and writes
// who asked to the case's event log. 409 when no call is failing, and for a registration
// waiting for the BPJS batch file, saying who sends it.
func (s *Server) retryCase(w http.ResponseWriter, r *http.Request) {
	var req RetryRequest
	if !decode(w, r, &req) {
		return
	}
	actor := identityActor(r, req.Actor)
	if !checkActor(w, r, actor) {
		return
	}
	// Only unscoped roles may retry today (auth's policy), but
	// the rule may widen: a case the caller may not read is not found, as everywhere.
	c, ok := s.readableCase(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	if msg, m, err := s.batchWait(r.Context(), c); err != nil {
		s.fail(w, r, err)
		return
	} else if msg != "" {
		writeError(w, r, http.StatusConflict, m, "%s", msg)
		return
	}
	res, err := s.Svc.Retry(r.Context(), c.CaseID, "kompeten-api:"+actor.ID)
	if errors.Is(err, starter.ErrNothingToRetry) && slices.Contains(vocab.Refusals, c.StuckCode) {
		writeError(w, r, http.StatusConflict, say("api.retry-refused", "case", c.CaseID, "lsp", c.LSPCode, "reason", string(c.StuckCode)),
			"nothing failing to retry: case %s waits on a person after %s refused (%s); "+
				"the LSP certification manager retries the refused request (kompeten certificate retry %s, POST /api/v1/cases/%s/%s)",
			c.CaseID, c.LSPCode, c.StuckCode, c.CaseID, c.CaseID, workflows.UpdateRetryRefused)
		return
	}
	if errors.Is(err, starter.ErrNothingToRetry) {
		writeError(w, r, http.StatusConflict, say("api.nothing-to-retry", "case", c.CaseID, "stage", string(c.Stage), "waiting", string(c.WaitingOn)),
			"nothing to retry: case %s is not waiting on a failing call (stage %s, waiting on %q)",
			c.CaseID, c.Stage, c.WaitingOn)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var calls []string
	for _, p := range res.Reset {
		d := fmt.Sprintf("%s after %d attempts", p.Type, p.Attempt)
		if p.LastFailure != "" {
			d += " (last error: " + p.LastFailure + ")"
		}
		calls = append(calls, d)
	}
	msg := "retry now: " + strings.Join(calls, "; ")
	if err := s.Store.AppendEvent(r.Context(), opsEvent(c, "retry-requested", msg, actor, time.Now())); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, RetryResponse{CaseID: c.CaseID, Reset: res.Reset, Message: msg})
}

// EscalateRequest asks to notify whoever can unblock a stuck case.
type EscalateRequest struct {
	// Actor is read only by a server that requires no tokens (tests); the token says who.
	Actor workflows.Actor `json:"actor,omitzero"`
	Note  string          `json:"note,omitempty"`
}

// EscalateResponse says whom the escalation went to.
type EscalateResponse struct {
	CaseID     string              `json:"case_id"`
	To         workflows.Unblocker `json:"to"`
	WorkflowID string              `json:"workflow_id"`
	Message    string              `json:"message"`
}

// maxNote keeps an escalation note a note.
const maxNote = 500

// escalateCase notifies the role that can unblock a stuck case (a workflow delivers it to the
// log and the webhook, retrying), then records the escalation with its actor in the event log
// and on the case. 409 when the case is not stuck.
func (s *Server) escalateCase(w http.ResponseWriter, r *http.Request) {
	var req EscalateRequest
	if !decode(w, r, &req) {
		return
	}
	actor := identityActor(r, req.Actor)
	if !checkActor(w, r, actor) {
		return
	}
	req.Note = strings.TrimSpace(req.Note)
	if len(req.Note) > maxNote {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.too-long", "field", "note", "max", strconv.Itoa(maxNote)), "note: at most %d characters", maxNote)
		return
	}
	c, ok := s.readableCase(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	if !c.Stuck {
		writeError(w, r, http.StatusConflict, say("api.not-stuck", "case", c.CaseID, "stage", string(c.Stage)), "case %s is not stuck (stage %s); nothing to escalate", c.CaseID, c.Stage)
		return
	}
	now := time.Now()
	to := workflows.WhoUnblocks(c.StuckCode, c.WaitingOn, c.CentreCode, c.LSPCode)
	wid, err := s.Svc.StartEscalation(r.Context(), s.escalationInput(c, to, actor, req.Note, now))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	who := string(to.Role)
	if to.Scope != "" {
		who += " " + to.Scope
	}
	msg := "escalated to " + who + ": " + to.Action
	if req.Note != "" {
		msg += " (note: " + req.Note + ")"
	}
	ev := opsEvent(c, "escalated", msg, actor, now)
	// The pages word the event from its code (event.escalated) in the reader's language.
	ev.Code, ev.Params = "event.escalated", map[string]string{"role": string(to.Role), "scope": to.Scope,
		"action": strings.TrimPrefix(to.Code, "unblock."), "note": req.Note}
	if err := s.Store.AppendEvent(r.Context(), ev); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Store.MarkEscalated(r.Context(), c.CaseID, to.Role, now); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, EscalateResponse{CaseID: c.CaseID, To: to, WorkflowID: wid, Message: msg})
}

// escalationInput is the escalation of a stuck case to the role that can unblock it: codes, the
// stuck reason (its English and its message), the partner's last error, and the language and
// zone it is worded in (escalation.language, journey.timezone).
func (s *Server) escalationInput(c store.Case, to workflows.Unblocker, by workflows.Actor, note string, now time.Time) workflows.EscalationInput {
	return workflows.EscalationInput{
		CaseID: c.CaseID, Centre: c.CentreCode, LSP: c.LSPCode, Stage: c.Stage, Reason: c.StuckReason,
		StuckSince: c.StuckSince, Attempts: c.Attempts, LastError: c.LastError, To: to, By: by,
		Note: note, At: now, Timezone: s.Svc.Config.Journey.Timezone,
		Language: s.Svc.Config.Escalation.Language, Why: stuckWhy(c),
	}
}

// stuckWhy is a case's stuck reason as a message of the catalogue, when the journey gave it one.
func stuckWhy(c store.Case) i18n.Message {
	if c.StuckMessage == "" {
		return i18n.Message{}
	}
	return i18n.Message{Code: c.StuckMessage, Params: c.StuckParams}
}
