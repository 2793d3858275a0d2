package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Issue 18's acceptance for messages: a small cohort runs through the whole journey with the
// WhatsApp partner refusing half the sends (the first send of every message, so each is refused
// exactly once and the count cannot depend on luck or timing). Each consenting trainee's outbox holds exactly one
// message per milestone reached (enrolment, BPJS, assessment, certificate, each follow-up), each
// one delivered (the simulator's signed statuses reach the webhook), and the case shows them; a
// trainee without consent gets none, and their case says why.
func TestTraineeMessagesOncePerMilestone(t *testing.T) {
	cfg := fastConfig(t)
	cfg.Journey.AttendanceMode = "absence" // nobody recorded absent: everyone graduates
	gate := &failFirstSend{seen: map[string]bool{}}
	sys := startSystemWith(t, cfg, systemOptions{WrapSimulators: gate.wrap})
	now := time.Now()
	var pkg store.Package
	if code := sys.call("POST", "/api/v1/packages", api.PackageRequest{
		Code: "IT-MSG-1", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(3 * time.Second).Format(time.RFC3339), End: now.Add(6 * time.Second).Format(time.RFC3339),
		Capacity: 10, AutoApprove: true,
	}, &pkg); code != http.StatusCreated {
		t.Fatalf("create package: HTTP %d", code)
	}
	people := validPeople(t, pkg.StartDate, 4)
	for i := range people {
		people[i].Consent = i < 3 // the last one did not agree to messages
		if _, ok := messaging.International(people[i].Phone); !ok {
			t.Fatalf("sample person %d has no mobile number to message", i)
		}
	}
	var enrolled api.EnrolResponse
	if code := sys.call("POST", "/api/v1/packages/IT-MSG-1/enrolments", api.EnrolRequest{People: people}, &enrolled); code != http.StatusOK {
		t.Fatalf("enrol: HTTP %d", code)
	}
	ids := make([]string, len(enrolled.Results))
	for i, r := range enrolled.Results {
		if r.Outcome != starter.OutcomeStarted && r.Outcome != starter.OutcomeWarnedStarted {
			t.Fatalf("person %d: %s %s", i, r.Outcome, r.Error)
		}
		ids[i] = r.CaseID
	}
	manager := workflows.Actor{ID: "budi", Role: vocab.RoleLSPManager}
	for _, id := range ids {
		sys.caseIn(id, vocab.StageCertification, 60*time.Second)
		sys.approveCertification(manager, id)
	}
	for _, id := range ids {
		if c := sys.caseIn(id, vocab.StageClosed, 60*time.Second); c.Outcome != vocab.OutcomeNotPlaced {
			t.Fatalf("case %s closed %s, want not placed", id, c.Outcome)
		}
	}

	milestones := []string{"enrolment", "bpjs", "assessment", "certificate"}
	for _, m := range cfg.Journey.FollowUpMonths {
		// Nobody answers: each follow-up's message is followed by its one reminder.
		milestones = append(milestones, string(messaging.FollowUp(m)), string(messaging.Reminder(m)))
	}
	sort.Strings(milestones)
	want := strings.Join(milestones, ",")

	// Every consenting trainee's messages end delivered: sent once and confirmed by the webhook.
	for _, id := range ids[:3] {
		eventually(t, 60*time.Second, "messages of "+id+" delivered", func() (bool, string) {
			ms, err := sys.store.CaseMessages(context.Background(), id)
			if err != nil {
				return false, err.Error()
			}
			var got []string
			for _, m := range ms {
				if m.Status == messaging.StatusDelivered {
					got = append(got, m.Milestone)
				}
			}
			sort.Strings(got)
			return strings.Join(got, ",") == want, fmt.Sprintf("%+v", ms)
		})
	}

	wa := sys.sims.WhatsApp
	total := 0
	for i, id := range ids[:3] {
		to, _ := messaging.International(people[i].Phone)
		out := wa.OutboxFor(to)
		total += len(out)
		perKey := map[string]int{}
		for _, m := range out {
			perKey[m.Key]++
		}
		var got []string
		for k, n := range perKey {
			if n != 1 {
				t.Errorf("case %s: %d messages under %s, want 1", id, n, k)
			}
			c, milestone, _ := strings.Cut(k, "/")
			if c != id {
				t.Errorf("case %s's phone got a message of case %s", id, c)
			}
			got = append(got, milestone)
		}
		sort.Strings(got)
		if len(out) != len(milestones) || strings.Join(got, ",") != want {
			t.Errorf("case %s: outbox holds %d messages for %v, want one for each of %s", id, len(out), got, want)
		}
		// The texts are the templates' Indonesian, with the trainee's first name.
		first := messaging.FirstName(people[i].Name)
		for _, m := range out {
			if !strings.Contains(m.Text, first) {
				t.Errorf("case %s: %s does not greet %s: %q", id, m.Template, first, m.Text)
			}
		}
	}
	if refused := gate.count(); refused < total {
		t.Fatalf("the partner refused %d sends for %d messages: some went out at the first try, the test proves less than it says", refused, total)
	} else {
		t.Logf("%d messages went out once each; the partner refused the first send of each (%d refused)", total, refused)
	}

	// No consent, no message; the case says why.
	noConsent := ids[3]
	to, _ := messaging.International(people[3].Phone)
	if out := wa.OutboxFor(to); len(out) != 0 {
		t.Errorf("the trainee without consent got %d messages", len(out))
	}
	ms, err := sys.store.CaseMessages(context.Background(), noConsent)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != len(milestones) {
		t.Errorf("case without consent records %d messages, want %d skipped", len(ms), len(milestones))
	}
	for _, m := range ms {
		if m.Status != messaging.StatusSkipped || m.Detail != "no consent to messages" {
			t.Errorf("case without consent: %+v, want skipped for no consent", m)
		}
	}

	// The case JSON shows what was sent and delivered, without the number.
	var view api.CaseView
	if code := sys.call("GET", "/api/v1/cases/"+ids[0], nil, &view); code != http.StatusOK {
		t.Fatalf("get case: HTTP %d", code)
	}
	if len(view.Messages) != len(milestones) {
		t.Errorf("case JSON shows %d messages, want %d", len(view.Messages), len(milestones))
	}
	for _, m := range view.Messages {
		if m.Channel != messaging.ChannelWhatsApp || m.SentAt == nil || m.DeliveredAt == nil {
			t.Errorf("case JSON message %+v, want whatsapp with sent and delivered times", m)
		}
	}
	recordHistories(t, sys, map[string]string{"journey-trainee-messages": ids[0]})
}

// failFirstSend stands in front of the WhatsApp simulator and refuses (503) the first send of
// every message, told apart by the idempotency key the Cloud API echoes
// (biz_opaque_callback_data): half of all sends fail, and every message must be retried once.
type failFirstSend struct {
	mu      sync.Mutex
	seen    map[string]bool
	refused int
}

func (f *failFirstSend) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refused
}

func (f *failFirstSend) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.Contains(r.URL.Path, "/sim/whatsapp/") || !strings.HasSuffix(r.URL.Path, "/messages") {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var msg struct {
			Key string `json:"biz_opaque_callback_data"`
		}
		_ = json.Unmarshal(body, &msg)
		f.mu.Lock()
		first := msg.Key != "" && !f.seen[msg.Key]
		if first {
			f.seen[msg.Key] = true
			f.refused++
		}
		f.mu.Unlock()
		if first {
			http.Error(w, `{"error":{"message":"service unavailable (test gate)","code":2}}`, http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
}
