package integration

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/notify"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// webhook records the notifications posted to it.
type webhook struct {
	mu   sync.Mutex
	msgs []notify.Message
	srv  *httptest.Server
}

func newWebhook(t *testing.T) *webhook {
	t.Helper()
	h := &webhook{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m notify.Message
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &m); err != nil {
			t.Errorf("webhook body %s: %v", b, err)
		}
		h.mu.Lock()
		h.msgs = append(h.msgs, m)
		h.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *webhook) of(kind string) []notify.Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []notify.Message
	for _, m := range h.msgs {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// outagePackage creates a package starting in an hour (so its cases wait in insurance) and
// enrols n people, returning their case IDs.
func outagePackage(t *testing.T, sys *system, code string, n int) []string {
	t.Helper()
	var pkg store.Package
	now := time.Now()
	if c := sys.call("POST", "/api/v1/packages", api.PackageRequest{
		Code: code, Centre: "BLK-SGS", Trade: "Otomotif", Scheme: "SKM-OTO", LSP: "LSP-BLK-SGS",
		Start: now.Add(time.Hour).Format(time.RFC3339), End: now.Add(2 * time.Hour).Format(time.RFC3339), AutoApprove: true,
	}, &pkg); c != http.StatusCreated {
		t.Fatalf("create package %s: HTTP %d", code, c)
	}
	var enrolled api.EnrolResponse
	if c := sys.call("POST", "/api/v1/packages/"+code+"/enrolments", api.EnrolRequest{People: validPeople(t, pkg.StartDate, n)}, &enrolled); c != http.StatusOK {
		t.Fatalf("enrol: HTTP %d", c)
	}
	var ids []string
	for _, r := range enrolled.Results {
		ids = append(ids, r.CaseID)
	}
	return ids
}

// With BPJS down, the stuck list shows the cases with the partner's attempts and last error and
// who can unblock them; Temporal's live view has the failing call with its decoded error; after
// the outage "retry now" resets the backoff so the case moves on at once, long before its next
// scheduled attempt; an escalation reaches the webhook and the event log with its actor.
func TestStuckRetryAndEscalateOnTheRealSystem(t *testing.T) {
	cfg := fastConfig(t)
	cfg.SLA.Insurance = 3 * time.Second
	hook := newWebhook(t)
	cfg.Notify.WebhookURL = hook.srv.URL + "/hook"
	sys := startSystem(t, cfg)
	ctx := context.Background()
	sys.sims.BPJS.StartOutage(time.Hour)
	ids := outagePackage(t, sys, "IT-OPS-OUT", 2)
	retried, escalated := ids[0], ids[1]

	var row api.StuckCase
	eventually(t, 60*time.Second, "both cases on the stuck list with attempts and last error", func() (bool, string) {
		var l api.StuckList
		if c := sys.call("GET", "/api/v1/stuck?centre=BLK-SGS&reason=partner-failing", nil, &l); c != http.StatusOK {
			return false, "HTTP error"
		}
		n := 0
		for _, c := range l.Cases {
			if (c.CaseID == retried || c.CaseID == escalated) && c.Attempts >= 2 && strings.Contains(c.LastError, "503") {
				n++
				if c.CaseID == retried {
					row = c
				}
			}
		}
		return n == 2, strings.Repeat("row ", len(l.Cases))
	})
	if row.Unblock.Role != vocab.RoleInsurerLiaison || !row.Retryable || row.Stage != "insurance" ||
		!strings.Contains(row.Why, "failed attempts, last error") || row.StuckSince.IsZero() {
		t.Fatalf("stuck row %+v", row)
	}

	actor := workflows.Actor{ID: "rina", Role: vocab.RoleOperator}
	// Escalate the other one while BPJS is still down.
	var esc api.EscalateResponse
	if c := sys.call("POST", "/api/v1/cases/"+escalated+"/escalate", api.EscalateRequest{Actor: actor, Note: "BPJS line busy"}, &esc); c != http.StatusOK {
		t.Fatalf("escalate: HTTP %d", c)
	}
	if esc.To.Role != vocab.RoleInsurerLiaison || esc.WorkflowID == "" {
		t.Fatalf("escalation %+v", esc)
	}
	eventually(t, 30*time.Second, "the escalation at the webhook", func() (bool, string) {
		return len(hook.of("escalation")) == 1, ""
	})
	m := hook.of("escalation")[0]
	// Worded in escalation.language, Indonesian by default; the note as written.
	if m.To != vocab.RoleInsurerLiaison || !strings.Contains(m.Text, "kasus "+escalated) || !strings.Contains(m.Text, "BPJS line busy") ||
		!strings.Contains(m.Text, "percobaan gagal") {
		t.Fatalf("escalation message %+v", m)
	}
	if err := sys.tc.GetWorkflow(ctx, esc.WorkflowID, "").Get(ctx, nil); err != nil {
		t.Fatalf("the escalation workflow, its message delivered: %v", err)
	}
	recordWorkflows(t, sys, map[string]string{"escalation-delivered": esc.WorkflowID})
	ev := sys.eventSeen(escalated, "escalated", 5*time.Second)
	if ev.ActorID != "rina" || !strings.Contains(ev.Detail, "insurer-liaison") {
		t.Fatalf("escalation event %+v", ev)
	}
	got, err := sys.store.GetCase(ctx, escalated)
	if err != nil {
		t.Fatal(err)
	}
	if got.EscalatedTo != vocab.RoleInsurerLiaison || got.EscalatedAt == nil {
		t.Fatalf("case not marked escalated: %+v", got)
	}

	// Temporal's own view: the registration is pending, failing, with its error decoded.
	var wf starter.WorkflowInfo
	eventually(t, 60*time.Second, "the registration's backoff to pass 10 seconds", func() (bool, string) {
		if c := sys.call("GET", "/api/v1/cases/"+retried+"/workflow", nil, &wf); c != http.StatusOK {
			return false, "HTTP error"
		}
		for _, p := range wf.Pending {
			if p.Type == "RegisterInsurance" && p.Failing && p.NextAttemptAt != nil && time.Until(*p.NextAttemptAt) > 10*time.Second {
				return true, ""
			}
		}
		return false, "pending " + strings.Repeat("call ", len(wf.Pending))
	})
	var call starter.PendingCall
	for _, p := range wf.Pending {
		if p.Type == "RegisterInsurance" {
			call = p
		}
	}
	if wf.Status != "running" || call.Attempt < 4 || !strings.Contains(call.LastFailure, "503") ||
		!strings.Contains(wf.WebUIURL, "/namespaces/default/workflows/journey%2FIT-OPS-OUT%2F") {
		t.Fatalf("workflow view %+v, call %+v", wf, call)
	}

	// The outage ends; retry now calls BPJS at once instead of at the scheduled attempt.
	sys.sims.BPJS.EndOutage()
	var res api.RetryResponse
	if c := sys.call("POST", "/api/v1/cases/"+retried+"/retry", api.RetryRequest{Actor: actor}, &res); c != http.StatusOK {
		t.Fatalf("retry: HTTP %d", c)
	}
	if len(res.Reset) != 1 || res.Reset[0].Type != "RegisterInsurance" || !strings.Contains(res.Message, "RegisterInsurance after") {
		t.Fatalf("retry answer %+v", res)
	}
	c := sys.caseIn(retried, vocab.StageTraining, 15*time.Second)
	if time.Now().After(*call.NextAttemptAt) {
		t.Fatalf("the case moved on only after its scheduled attempt (%s): the retry did not reset the backoff", call.NextAttemptAt)
	}
	if c.Stuck || c.KPJ == "" {
		t.Fatalf("after retry: %+v", c)
	}
	ev = sys.eventSeen(retried, "retry-requested", 5*time.Second)
	if ev.ActorID != "rina" || ev.ActorRole != vocab.RoleOperator || !strings.Contains(ev.Detail, "503") {
		t.Fatalf("retry event %+v", ev)
	}
	// A case with nothing failing has nothing to retry, and one that is not stuck nothing to escalate.
	var refused api.ErrorBody
	if c := sys.call("POST", "/api/v1/cases/"+retried+"/retry", api.RetryRequest{Actor: actor}, &refused); c != http.StatusConflict ||
		!strings.Contains(refused.Error, "nothing to retry") {
		t.Fatalf("retry of a moving case: HTTP %d %q", c, refused.Error)
	}

	if c := sys.call("POST", "/api/v1/cases/"+retried+"/escalate", api.EscalateRequest{Actor: actor}, &refused); c != http.StatusConflict {
		t.Fatalf("escalating a case that is not stuck: HTTP %d", c)
	}
}

// The worker keeps a daily-digest Schedule; triggered, the digest counts the stuck cases per
// centre and role and reaches the webhook.
func TestDailyDigestSchedule(t *testing.T) {
	cfg := fastConfig(t)
	cfg.SLA.Insurance = 2 * time.Second
	cfg.Digest.Time = "06:30"
	hook := newWebhook(t)
	cfg.Notify.WebhookURL = hook.srv.URL
	sys := startSystem(t, cfg)
	ctx := context.Background()
	sys.sims.BPJS.StartOutage(time.Hour)
	ids := outagePackage(t, sys, "IT-DIGEST", 2)
	for _, id := range ids {
		eventually(t, 30*time.Second, "case "+id+" stuck", func() (bool, string) {
			c, err := sys.store.GetCase(ctx, id)
			return err == nil && c.Stuck, string(c.Stage)
		})
	}

	h := sys.tc.ScheduleClient().GetHandle(ctx, app.DigestScheduleID)
	desc, err := h.Describe(ctx)
	if err != nil {
		t.Fatalf("describe the digest schedule: %v", err)
	}
	cal := desc.Schedule.Spec.Calendars
	if len(cal) != 1 || cal[0].Hour[0].Start != 6 || cal[0].Minute[0].Start != 30 || desc.Schedule.Spec.TimeZoneName != "Asia/Jakarta" {
		t.Fatalf("schedule spec %+v", desc.Schedule.Spec)
	}
	// A changed time reaches the existing schedule.
	cfg.Digest.Time = "07:15"
	if err := app.EnsureDigestSchedule(ctx, cfg, sys.tc); err != nil {
		t.Fatal(err)
	}
	if desc, err = h.Describe(ctx); err != nil || desc.Schedule.Spec.Calendars[0].Minute[0].Start != 15 {
		t.Fatalf("updated schedule: %v %+v", err, desc)
	}

	if err := h.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the digest at the webhook", func() (bool, string) {
		return len(hook.of("digest")) == 1, ""
	})
	d := hook.of("digest")[0]
	if !strings.Contains(d.Text, "kasus macet: 2 di 1 BLK") || !strings.Contains(d.Text, "BLK-SGS, Penghubung BPJS: 2 (panggilan mitra gagal 2)") {
		t.Fatalf("digest text:\n%s", d.Text)
	}
	// The triggered run ends with the digest it sent as its result.
	if desc, err = h.Describe(ctx); err != nil || len(desc.Info.RecentActions) == 0 {
		t.Fatalf("the schedule's runs: %v", err)
	}
	digestRun := desc.Info.RecentActions[len(desc.Info.RecentActions)-1].StartWorkflowResult
	var sent workflows.Digest
	if err := sys.tc.GetWorkflow(ctx, digestRun.WorkflowID, digestRun.FirstExecutionRunID).Get(ctx, &sent); err != nil || sent.Total != 2 || sent.Text != d.Text {
		t.Fatalf("digest workflow: %v, total %d", err, sent.Total)
	}
	recordWorkflows(t, sys, map[string]string{"digest-stuck-cases": digestRun.WorkflowID})

	cfg.Digest.Enabled = false
	if err := app.EnsureDigestSchedule(ctx, cfg, sys.tc); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Describe(ctx); err == nil {
		t.Fatal("digest.enabled=false left the schedule in place")
	}
}
