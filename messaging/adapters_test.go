package messaging_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"github.com/bpvp-sidoarjo/kompeten/simulator"
)

// receiver records what the webhooks hand over.
type receiver struct {
	mu       sync.Mutex
	statuses []messaging.StatusUpdate
	stops    []string
}

func (r *receiver) RecordStatus(_ context.Context, u messaging.StatusUpdate) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.statuses = append(r.statuses, u)
	return nil
}

func (r *receiver) StopMessages(_ context.Context, phone string) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stops = append(r.stops, phone)
	return 1, nil
}

func (r *receiver) snapshot() ([]messaging.StatusUpdate, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]messaging.StatusUpdate(nil), r.statuses...), append([]string(nil), r.stops...)
}

// waitFor polls cond until it holds or a few seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

const secret = "app-secret-for-tests"

// webhooks starts kompeten's webhooks on a receiver.
func webhooks(t *testing.T) (*receiver, *httptest.Server) {
	rec := &receiver{}
	mux := http.NewServeMux()
	for p, h := range (&messaging.Webhooks{Receiver: rec, WhatsAppSecret: secret, VerifyToken: "verify-me", SMSSecret: secret}).Routes("/webhooks") {
		mux.Handle(p, h)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return rec, srv
}

// The WhatsApp adapter sends a template message the simulator renders as the repository's
// template; the simulator posts "sent" and "delivered" to the webhook, signed, with the key.
func TestWhatsAppAgainstSimulator(t *testing.T) {
	rec, hooks := webhooks(t)
	sim := simulator.NewWhatsApp(simulator.MessagingConfig{Config: simulator.Config{APIKey: "token"}, WebhookURL: hooks.URL + "/webhooks/whatsapp", Secret: secret})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	wa := messaging.NewWhatsApp(messaging.WhatsAppConfig{BaseURL: srv.URL, Version: "v21.0", PhoneNumberID: "123", Token: "token"})

	msg, err := messaging.Render(messaging.MilestoneInsurance, messaging.Data{Name: "Siti", KPJ: "23000000007"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := wa.Send(context.Background(), messaging.Outgoing{To: "6281234567890", IdempotencyKey: "case-1/bpjs", Message: msg})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.ProviderID, "wamid.") {
		t.Fatalf("provider id %q", r.ProviderID)
	}
	out := sim.OutboxFor("6281234567890")
	if len(out) != 1 || out[0].Text != msg.Text || out[0].Key != "case-1/bpjs" || out[0].Template != "kompeten_bpjs" {
		t.Fatalf("outbox %+v, want the one message as rendered", out)
	}
	waitFor(t, "sent and delivered statuses", func() bool { s, _ := rec.snapshot(); return len(s) == 2 })
	st, _ := rec.snapshot()
	for i, want := range []string{"sent", "delivered"} {
		if st[i].Status != want || st[i].ProviderID != r.ProviderID || st[i].Key != "case-1/bpjs" || st[i].Channel != messaging.ChannelWhatsApp {
			t.Errorf("status %d: %+v, want %s of %s", i, st[i], want, r.ProviderID)
		}
	}

	// A wrong token is refused; a template Meta does not have is a final refusal.
	bad := messaging.NewWhatsApp(messaging.WhatsAppConfig{BaseURL: srv.URL, Version: "v21.0", PhoneNumberID: "123", Token: "wrong"})
	if _, err := bad.Send(context.Background(), messaging.Outgoing{To: "6281234567890", Message: msg}); err == nil || !messaging.IsRejected(err) {
		t.Errorf("wrong token: %v, want a refusal", err)
	}
	if _, err := wa.Send(context.Background(), messaging.Outgoing{To: "6281234567890", Message: messaging.Message{Template: "kompeten_nope"}}); !messaging.IsRejected(err) {
		t.Errorf("unknown template: %v, want a refusal", err)
	}
	if n := len(sim.Outbox()); n != 1 {
		t.Errorf("outbox holds %d messages after two refusals, want 1", n)
	}
}

// A trainee's STOP (in any case, or BERHENTI) reaches the receiver as the local number; other
// replies do not.
func TestStopReply(t *testing.T) {
	rec, hooks := webhooks(t)
	wa := simulator.NewWhatsApp(simulator.MessagingConfig{WebhookURL: hooks.URL + "/webhooks/whatsapp", Secret: secret})
	sms := simulator.NewSMS(simulator.MessagingConfig{WebhookURL: hooks.URL + "/webhooks/sms", Secret: secret})
	ctx := context.Background()
	for _, step := range []func() error{
		func() error { return wa.ReplyFrom(ctx, "6281111111111", "terima kasih") },
		func() error { return wa.ReplyFrom(ctx, "6281111111111", "stop") },
		func() error { return sms.ReplyFrom(ctx, "6282222222222", "BERHENTI") },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	_, stops := rec.snapshot()
	if strings.Join(stops, ",") != "081111111111,082222222222" {
		t.Fatalf("stops %q, want the two numbers that said stop, in the local form", stops)
	}
}

// A webhook refuses a body without the right signature, and the verification handshake
// answers only the configured token.
func TestWebhookSignature(t *testing.T) {
	rec, hooks := webhooks(t)
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.X","status":"delivered","timestamp":"1700000000","recipient_id":"6281"}]}}]}]}`)
	post := func(path, header, sig string) int {
		req, _ := http.NewRequest(http.MethodPost, hooks.URL+path, bytes.NewReader(body))
		if sig != "" {
			req.Header.Set(header, sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for name, sig := range map[string]string{
		"none":       "",
		"other key":  messaging.Sign([]byte("not-the-secret"), body),
		"not hex":    "sha256=zz",
		"no prefix":  strings.TrimPrefix(messaging.Sign([]byte(secret), body), "sha256="),
		"other body": messaging.Sign([]byte(secret), append([]byte(" "), body...)),
	} {
		if code := post("/webhooks/whatsapp", "X-Hub-Signature-256", sig); code != http.StatusUnauthorized {
			t.Errorf("signature %s: HTTP %d, want 401", name, code)
		}
		if code := post("/webhooks/sms", "X-Signature", sig); code != http.StatusUnauthorized {
			t.Errorf("sms signature %s: HTTP %d, want 401", name, code)
		}
	}
	if st, _ := rec.snapshot(); len(st) != 0 {
		t.Fatalf("unsigned statuses recorded: %+v", st)
	}
	if code := post("/webhooks/whatsapp", "X-Hub-Signature-256", messaging.Sign([]byte(secret), body)); code != http.StatusOK {
		t.Fatalf("signed: HTTP %d", code)
	}
	if st, _ := rec.snapshot(); len(st) != 1 || st[0].Status != "delivered" || st[0].ProviderID != "wamid.X" {
		t.Fatalf("signed status recorded as %+v", st)
	}
	// Without a secret configured, nothing is accepted.
	if messaging.Verify(nil, body, messaging.Sign(nil, body)) {
		t.Fatal("an empty secret verified a signature")
	}

	get := func(token string) (int, string) {
		resp, err := http.Get(hooks.URL + "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=" + token + "&hub.challenge=12345")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	if code, got := get("verify-me"); code != http.StatusOK || got != "12345" {
		t.Errorf("handshake: HTTP %d %q", code, got)
	}
	if code, _ := get("wrong"); code != http.StatusForbidden {
		t.Errorf("handshake with a wrong token: HTTP %d", code)
	}
}

// The SMS gateway dedupes on the Idempotency-Key: with half the sends failing, lost answers
// included, a message retried until it is accepted is in the outbox once.
func TestSMSAgainstSimulatorDedupes(t *testing.T) {
	rec, hooks := webhooks(t)
	sim := simulator.NewSMS(simulator.MessagingConfig{Config: simulator.Config{ErrorRate: 0.5, Seed: 7, APIKey: "k"}, WebhookURL: hooks.URL + "/webhooks/sms", Secret: secret})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	sms := messaging.NewSMS(messaging.SMSConfig{BaseURL: srv.URL, APIKey: "k", Sender: "BLK"})
	msg, err := messaging.Render(messaging.MilestoneCertificate, messaging.Data{Name: "Budi", Certificate: "C-1"})
	if err != nil {
		t.Fatal(err)
	}
	var failures int
	for i := range 10 {
		key := "case-" + string(rune('a'+i)) + "/certificate"
		for {
			_, err := sms.Send(context.Background(), messaging.Outgoing{To: "6281234567890", IdempotencyKey: key, Message: msg})
			if err == nil {
				break
			}
			if messaging.IsRejected(err) {
				t.Fatal(err)
			}
			failures++
		}
	}
	if failures == 0 {
		t.Fatal("no injected failure: the test proves nothing")
	}
	out := sim.Outbox()
	keys := map[string]int{}
	for _, m := range out {
		keys[m.Key]++
		if m.Text != msg.Text {
			t.Errorf("text %q", m.Text)
		}
	}
	if len(out) != 10 || len(keys) != 10 {
		t.Fatalf("outbox holds %d messages under %d keys after %d failures, want 10 under 10", len(out), len(keys), failures)
	}
	waitFor(t, "delivery reports", func() bool { s, _ := rec.snapshot(); return len(s) == 20 })
	sim.Wait()
}
