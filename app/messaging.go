package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"github.com/bpvp-sidoarjo/kompeten/simulator"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// webhookPrefix is where the providers post statuses and replies: /webhooks/whatsapp and
// /webhooks/sms.
const webhookPrefix = "/webhooks"

// Messenger builds how the trainees' messages go out from messaging.*: the chosen channel's
// adapter, or none (every message recorded skipped) when the channel is "none" or has no
// base_url, which it logs. NewActivities adds the self-report links (Links).
func Messenger(c *config.Config, logger *slog.Logger) (*activities.Messenger, error) {
	loc, err := time.LoadLocation(c.Journey.Timezone)
	if err != nil {
		return nil, fmt.Errorf("journey.timezone: %w", err)
	}
	m := &activities.Messenger{Location: loc}
	switch ch := c.Messaging.Channel; ch {
	case messaging.ChannelWhatsApp:
		w := c.Messaging.WhatsApp
		if w.BaseURL == "" {
			logger.Warn("messages to trainees are off: messaging.whatsapp.base_url is not set", "component", "messaging")
			return m, nil
		}
		m.Sender = messaging.NewWhatsApp(messaging.WhatsAppConfig{BaseURL: w.BaseURL, Version: w.Version, PhoneNumberID: w.PhoneNumberID,
			Token: w.Token, Language: w.Language, Timeout: w.Timeout})
	case messaging.ChannelSMS:
		s := c.Messaging.SMS
		if s.BaseURL == "" {
			logger.Warn("messages to trainees are off: messaging.sms.base_url is not set", "component", "messaging")
			return m, nil
		}
		m.Sender = messaging.NewSMS(messaging.SMSConfig{BaseURL: s.BaseURL, APIKey: s.APIKey, Sender: s.Sender, Timeout: s.Timeout})
	}
	return m, nil
}

// Webhooks are the providers' callbacks (statuses, STOP) on the store, checked with the
// configured secrets; mount them outside the API's token check (their signature is their
// authentication).
func Webhooks(c *config.Config, st *store.Store, logger *slog.Logger) map[string]http.Handler {
	h := &messaging.Webhooks{
		Receiver: st, WhatsAppSecret: c.Messaging.WhatsApp.AppSecret, VerifyToken: c.Messaging.WhatsApp.VerifyToken,
		SMSSecret: c.Messaging.SMS.Secret, Logger: logger.With("component", "messaging"),
	}
	return h.Routes(webhookPrefix)
}

// newMessagingSimulators builds the WhatsApp and SMS simulators, persistent with a pool. They
// post to webhookBase+"/whatsapp" and "/sms" (SetWebhook when it is known later), signed with
// the configured secrets.
func newMessagingSimulators(ctx context.Context, c *config.Config, pool *pgxpool.Pool, webhookBase string) (*simulator.WhatsApp, *simulator.SMS, error) {
	cfg := func(s config.MessagingSimulatorConfig, secret, hook string) simulator.MessagingConfig {
		return simulator.MessagingConfig{Config: simulator.Config{Latency: s.Latency, ErrorRate: s.ErrorRate}, Secret: secret, StatusDelay: s.StatusDelay, WebhookURL: hook}
	}
	var wh, sh string
	if webhookBase != "" {
		wh, sh = webhookBase+"/whatsapp", webhookBase+"/sms"
	}
	wc := cfg(c.Simulators.WhatsApp, c.Messaging.WhatsApp.AppSecret, wh)
	sc := cfg(c.Simulators.SMS, c.Messaging.SMS.Secret, sh)
	if pool == nil {
		return simulator.NewWhatsApp(wc), simulator.NewSMS(sc), nil
	}
	wa, err := simulator.OpenWhatsApp(ctx, wc, pool)
	if err != nil {
		return nil, nil, err
	}
	sms, err := simulator.OpenSMS(ctx, sc, pool)
	if err != nil {
		return nil, nil, err
	}
	return wa, sms, nil
}

// DevMessaging fills in what `kompeten dev` needs to send messages through its simulators:
// the simulators' addresses under simBase, and webhook secrets made up for this run when none
// is configured.
func DevMessaging(c *config.Config, simBase string) error {
	if c.Messaging.WhatsApp.BaseURL == "" {
		c.Messaging.WhatsApp.BaseURL = simBase + "/whatsapp"
	}
	if c.Messaging.WhatsApp.PhoneNumberID == "" {
		c.Messaging.WhatsApp.PhoneNumberID = "SIM-PHONE-ID"
	}
	if c.Messaging.SMS.BaseURL == "" {
		c.Messaging.SMS.BaseURL = simBase + "/sms"
	}
	for _, s := range []*string{&c.Messaging.WhatsApp.AppSecret, &c.Messaging.SMS.Secret} {
		if *s == "" {
			b := make([]byte, 24)
			if _, err := rand.Read(b); err != nil {
				return fmt.Errorf("dev webhook secret: %w", err)
			}
			*s = hex.EncodeToString(b)
		}
	}
	return nil
}
