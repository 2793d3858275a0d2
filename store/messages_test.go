package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Consent comes with the import; a STOP withdraws it for every participant with that number,
// and an import saying "ya" again does not give it back.
func TestMessageConsentAndStop(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := store.Participant{NIKHash: "h1", NIK: "3515014101990001", Name: "Siti Aminah", Phone: "081234567890", MessageConsent: true}
	must(t, st.UpsertParticipant(ctx, p))
	must(t, st.UpsertParticipant(ctx, store.Participant{NIKHash: "h2", NIK: "3515014101990002", Name: "Budi", Phone: "081299999999"}))
	r := recipient(t, st, "h1")
	if !r.Consent || r.Phone != "081234567890" || r.Name != "Siti Aminah" {
		t.Fatalf("recipient %+v", r)
	}
	if r := recipient(t, st, "h2"); r.Consent {
		t.Fatal("consent without the column saying so")
	}
	n, err := st.StopMessages(ctx, messaging.Local("6281234567890"))
	must(t, err)
	if n != 1 {
		t.Fatalf("STOP reached %d participants, want 1", n)
	}
	must(t, st.UpsertParticipant(ctx, p)) // imported again with "ya"
	if r := recipient(t, st, "h1"); r.Consent {
		t.Fatal("a re-import gave back the consent a STOP withdrew")
	}
	if got, _ := st.GetParticipant(ctx, "h1"); got.MessageConsent {
		t.Fatal("the participant shows consent after STOP")
	}
}

// recipient is what a message activity reads of a participant (MessageBefore), who must exist.
func recipient(t *testing.T, st *store.Store, nikHash string) store.MessageRecipient {
	t.Helper()
	b, err := st.MessageBefore(context.Background(), "case-1/enrolment", nikHash)
	must(t, err)
	if b.Recipient == nil {
		t.Fatalf("no recipient for %s", nikHash)
	}
	return *b.Recipient
}

// A message moves sending → sent → delivered → read whatever order the answer and the
// webhooks arrive in; a status found by the echoed key counts before the answer is recorded;
// a done message is not sent again; a skipped one records why.
func TestMessageStatuses(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	key := messaging.Key("case-1", messaging.MilestoneEnrolment)
	m, err := st.BeginSend(ctx, key, "case-1", "enrolment", "whatsapp")
	must(t, err)
	if m.Status != "sending" || m.Attempts != 1 {
		t.Fatalf("first attempt: %+v", m)
	}
	must(t, st.MarkFailed(ctx, key, "whatsapp: send: HTTP 503"))
	m, err = st.BeginSend(ctx, key, "case-1", "enrolment", "whatsapp")
	must(t, err)
	if m.Status != "sending" || m.Attempts != 2 {
		t.Fatalf("second attempt: %+v", m)
	}
	at := time.Now()
	// The webhook's "delivered" (by key) arrives before the send's answer is recorded.
	must(t, st.RecordStatus(ctx, messaging.StatusUpdate{Channel: "whatsapp", ProviderID: "wamid.1", Key: key, Status: "delivered", At: at}))
	must(t, st.MarkSent(ctx, key, "wamid.1", at))
	must(t, st.RecordStatus(ctx, messaging.StatusUpdate{Channel: "whatsapp", ProviderID: "wamid.1", Status: "sent", At: at}))
	got, err := st.GetMessage(ctx, key)
	must(t, err)
	if got.Status != "delivered" || got.SentAt == nil || got.DeliveredAt == nil || !got.Done() {
		t.Fatalf("after delivered, sent answer and a late sent: %+v", got)
	}
	// A failed attempt after the message went out does not undo it.
	must(t, st.MarkFailed(ctx, key, "late failure"))
	must(t, st.RecordStatus(ctx, messaging.StatusUpdate{Channel: "whatsapp", ProviderID: "wamid.1", Status: "read", At: at}))
	if got, _ := st.GetMessage(ctx, key); got.Status != "read" || got.ReadAt == nil {
		t.Fatalf("after read: %+v", got)
	}
	// Another channel's status for the same id changes nothing.
	must(t, st.RecordStatus(ctx, messaging.StatusUpdate{Channel: "sms", ProviderID: "wamid.1", Status: "failed", At: at}))
	if got, _ := st.GetMessage(ctx, key); got.Status != "read" {
		t.Fatalf("an SMS status changed a WhatsApp message: %+v", got)
	}

	skip := messaging.Key("case-1", messaging.MilestoneInsurance)
	must(t, st.SkipMessage(ctx, skip, "case-1", "bpjs", "whatsapp", "no consent to messages"))
	ms, err := st.CaseMessages(ctx, "case-1")
	must(t, err)
	if len(ms) != 2 || ms[1].Status != "skipped" || ms[1].Detail != "no consent to messages" {
		t.Fatalf("case messages %+v", ms)
	}
	// Skipping a message that went out leaves it sent.
	must(t, st.SkipMessage(ctx, key, "case-1", "enrolment", "whatsapp", "no consent to messages"))
	if got, _ := st.GetMessage(ctx, key); got.Status != "read" {
		t.Fatalf("skip overwrote a sent message: %+v", got)
	}
}

// MessageBefore reads what MessageRecipient and GetMessage read, in one statement: no row and
// no record are nil, a recorded status and a withdrawn consent are as the tables say.
func TestMessageBeforeReadsTheRowAndTheRecipientTogether(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	key := messaging.Key("case-1", messaging.MilestoneEnrolment)
	b, err := st.MessageBefore(ctx, key, "h1")
	must(t, err)
	if b.Prev != nil || b.Recipient != nil {
		t.Fatalf("nothing recorded, read %+v", b)
	}
	must(t, st.UpsertParticipant(ctx, store.Participant{NIKHash: "h1", NIK: "3515014101990001", Name: "Siti Aminah", Phone: "081234567890", MessageConsent: true}))
	b, err = st.MessageBefore(ctx, key, "h1")
	must(t, err)
	if b.Prev != nil || b.Recipient == nil || *b.Recipient != (store.MessageRecipient{Consent: true, Phone: "081234567890", Name: "Siti Aminah"}) {
		t.Fatalf("a recipient and no message, read %+v", b)
	}
	must(t, st.SkipMessage(ctx, key, "case-1", "enrolment", "none", "no channel configured"))
	_, err = st.StopMessages(ctx, "081234567890")
	must(t, err)
	b, err = st.MessageBefore(ctx, key, "h1")
	must(t, err)
	if b.Prev == nil || b.Prev.Status != messaging.StatusSkipped || b.Prev.Channel != "none" || !b.Prev.Done() {
		t.Fatalf("skipped message, read %+v", b.Prev)
	}
	if b.Recipient == nil || b.Recipient.Consent {
		t.Fatalf("after STOP the recipient reads %+v", b.Recipient)
	}
	if b, err := st.MessageBefore(ctx, key, "h-unknown"); err != nil || b.Prev == nil || b.Recipient != nil {
		t.Fatalf("a message whose participant is gone: %+v %v", b, err)
	}
}
