package activities_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// fakeSender is a provider that fails the calls it is told to, before or after taking the
// message, and keeps what it took.
type fakeSender struct {
	mu    sync.Mutex
	took  []messaging.Outgoing
	fails []string // per call: "" ok, "before" refuses, "after" takes it and loses the answer
}

func (f *fakeSender) Channel() string { return messaging.ChannelWhatsApp }

func (f *fakeSender) Send(_ context.Context, m messaging.Outgoing) (messaging.Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	mode := ""
	if len(f.fails) > 0 {
		mode, f.fails = f.fails[0], f.fails[1:]
	}
	if mode == "before" {
		return messaging.Receipt{}, errors.New("whatsapp: send: HTTP 503")
	}
	f.took = append(f.took, m)
	if mode == "after" {
		return messaging.Receipt{}, errors.New("whatsapp: send: connection reset")
	}
	return messaging.Receipt{ProviderID: "wamid." + m.IdempotencyKey}, nil
}

// links issues a made-up self-report link.
type links struct{}

func (links) FollowUpLink(_ context.Context, caseID string, month int) (string, error) {
	return "https://kompeten.example/lapor/" + caseID, nil
}

// SendMessage sends a milestone's message once: a refused attempt is sent again, a sent one
// never; a status webhook that arrived after a lost answer stops the resend; no consent or no
// number skips it; the follow-up carries the link.
func TestSendMessageOnce(t *testing.T) {
	ctx := context.Background()
	_, st := testdb.NewMigrated(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.UpsertParticipant(ctx, store.Participant{NIKHash: "h-yes", NIK: "3515014101990001", Name: "Siti Aminah", Phone: "081234567890", MessageConsent: true}))
	must(st.UpsertParticipant(ctx, store.Participant{NIKHash: "h-no", NIK: "3515014101990002", Name: "Budi", Phone: "081299999999"}))
	must(st.UpsertParticipant(ctx, store.Participant{NIKHash: "h-nophone", NIK: "3515014101990003", Name: "Ani", MessageConsent: true}))
	send := &fakeSender{}
	a := &activities.Activities{Store: st, Messages: &activities.Messenger{Sender: send, Links: links{}, Location: time.UTC}}
	in := contract.MessageInput{CaseID: "case-1", NIKHash: "h-yes", Milestone: "certificate", PackageCode: "PKG", CentreCode: "BLK-SBY", Certificate: "C-1"}

	send.fails = []string{"before"}
	if _, err := a.SendMessage(ctx, in); err == nil {
		t.Fatal("a refused send reported success")
	}
	if got, _ := st.GetMessage(ctx, "case-1/certificate"); got.Status != "failed" || !strings.Contains(got.Detail, "503") {
		t.Fatalf("after a refused send: %+v", got)
	}
	for range 3 { // the retry sends it; later retries (a replayed activity) send nothing
		r, err := a.SendMessage(ctx, in)
		must(err)
		if r.Status != "sent" {
			t.Fatalf("result %+v", r)
		}
	}
	if len(send.took) != 1 || send.took[0].To != "6281234567890" || !strings.Contains(send.took[0].Message.Text, "Siti") {
		t.Fatalf("provider took %+v, want the one message to Siti", send.took)
	}

	// An answer lost after the provider took the message, then its status webhook: no resend.
	in.Milestone = "bpjs"
	in.KPJ = "23000000001"
	send.fails = []string{"after"}
	if _, err := a.SendMessage(ctx, in); err == nil {
		t.Fatal("a lost answer reported success")
	}
	must(st.RecordStatus(ctx, messaging.StatusUpdate{Channel: messaging.ChannelWhatsApp, ProviderID: "wamid.x", Key: "case-1/bpjs", Status: "delivered", At: time.Now()}))
	r, err := a.SendMessage(ctx, in)
	must(err)
	if r.Status != "delivered" || len(send.took) != 2 {
		t.Fatalf("after a lost answer and its webhook: %+v, provider took %d, want 2", r, len(send.took))
	}

	// The follow-up carries the self-report link.
	in.Milestone, in.Month = string(messaging.FollowUp(3)), 3
	_, err = a.SendMessage(ctx, in)
	must(err)
	if last := send.took[len(send.took)-1]; !strings.Contains(last.Message.Text, "https://kompeten.example/lapor/case-1") || last.Message.Template != "kompeten_followup" {
		t.Fatalf("follow-up %+v, want the link", last.Message)
	}

	// No consent, no number: skipped, nothing sent, the reason on the case.
	for hash, why := range map[string]string{"h-no": "no consent to messages", "h-nophone": "no mobile number"} {
		r, err := a.SendMessage(ctx, contract.MessageInput{CaseID: "case-" + hash, NIKHash: hash, Milestone: "enrolment"})
		must(err)
		m, _ := st.GetMessage(ctx, "case-"+hash+"/enrolment")
		if r.Status != "skipped" || m.Detail != why {
			t.Errorf("%s: %+v %+v, want skipped for %s", hash, r, m, why)
		}
	}
	if len(send.took) != 3 {
		t.Fatalf("provider took %d messages, want 3", len(send.took))
	}
}
