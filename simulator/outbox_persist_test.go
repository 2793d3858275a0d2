package simulator_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"github.com/bpvp-sidoarjo/kompeten/simulator"
)

// A messaging simulator started again on the same database shows the messages it sent, numbers
// on from where it stopped, and (SMS) still answers a key it took with the same message.
func TestMessagingSimulatorsPersist(t *testing.T) {
	ctx := context.Background()
	p := pool(t)
	msg, err := messaging.Render(messaging.MilestoneCertificate, messaging.Data{Name: "Siti", Certificate: "C-1"})
	if err != nil {
		t.Fatal(err)
	}
	send := func(s *simulator.SMS, key string) string {
		srv := httptest.NewServer(s)
		defer srv.Close()
		r, err := messaging.NewSMS(messaging.SMSConfig{BaseURL: srv.URL}).Send(ctx, messaging.Outgoing{To: "6281234567890", IdempotencyKey: key, Message: msg})
		if err != nil {
			t.Fatal(err)
		}
		return r.ProviderID
	}
	first, err := simulator.OpenSMS(ctx, simulator.MessagingConfig{}, p)
	if err != nil {
		t.Fatal(err)
	}
	id1 := send(first, "case-1/certificate")
	first.Wait()
	again, err := simulator.OpenSMS(ctx, simulator.MessagingConfig{}, p)
	if err != nil {
		t.Fatal(err)
	}
	out := again.Outbox()
	if len(out) != 1 || out[0].ID != id1 || out[0].Text != msg.Text || out[0].Status != messaging.StatusDelivered {
		t.Fatalf("outbox after restart: %+v", out)
	}
	if id := send(again, "case-1/certificate"); id != id1 {
		t.Fatalf("the same key after a restart answered %s, want %s", id, id1)
	}
	if id := send(again, "case-2/certificate"); id == id1 {
		t.Fatal("a new message took the first one's id")
	}
	if n := len(again.Outbox()); n != 2 {
		t.Fatalf("outbox holds %d messages, want 2", n)
	}

	wa, err := simulator.OpenWhatsApp(ctx, simulator.MessagingConfig{}, p)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(wa)
	defer srv.Close()
	if _, err := messaging.NewWhatsApp(messaging.WhatsAppConfig{BaseURL: srv.URL, Version: "v21.0", PhoneNumberID: "1"}).Send(ctx,
		messaging.Outgoing{To: "6281234567890", IdempotencyKey: "case-1/certificate", Message: msg}); err != nil {
		t.Fatal(err)
	}
	wa.Wait()
	wa2, err := simulator.OpenWhatsApp(ctx, simulator.MessagingConfig{}, p)
	if err != nil {
		t.Fatal(err)
	}
	if out := wa2.OutboxFor("6281234567890"); len(out) != 1 || out[0].Template != "kompeten_certificate" {
		t.Fatalf("WhatsApp outbox after restart: %+v (the SMS simulator's must not show)", out)
	}
}
