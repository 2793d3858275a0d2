package config

import (
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"
)

const mask = "********"

// Masked returns a copy with every secret replaced, safe to print or log.
func (c Config) Masked() Config {
	m := c
	hide := func(s *string) {
		if *s != "" {
			*s = mask
		}
	}
	hide(&m.Temporal.APIKey)
	hide(&m.Security.NIKHashKey)
	hide(&m.Security.CodecToken)
	hide(&m.Security.ActorKey)
	m.Security.PayloadKeys = nil
	for _, k := range c.Security.PayloadKeys {
		// The id says which keys are configured; the key itself stays hidden.
		id, _, _ := strings.Cut(k, ":")
		m.Security.PayloadKeys = append(m.Security.PayloadKeys, id+":"+mask)
	}
	hide(&m.Partners.BPJS.APIKey)
	hide(&m.Partners.LSP.APIKey)
	m.Partners.LSPOverrides = map[string]PartnerConfig{}
	for k, p := range c.Partners.LSPOverrides {
		hide(&p.APIKey)
		m.Partners.LSPOverrides[k] = p
	}
	hide(&m.Messaging.WhatsApp.Token)
	hide(&m.Messaging.WhatsApp.AppSecret)
	hide(&m.Messaging.WhatsApp.VerifyToken)
	hide(&m.Messaging.SMS.APIKey)
	hide(&m.Messaging.SMS.Secret)
	hide(&m.Auth.OIDC.ClientSecret)
	m.Database.URL = MaskURL(c.Database.URL)
	m.MoU.ReminderWebhook = MaskURL(c.MoU.ReminderWebhook)
	m.Notify.WebhookURL = maskWebhook(c.Notify.WebhookURL)
	return m
}

// MaskURL hides the password in a connection URL.
func MaskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), mask)
	}
	return u.String()
}

// YAML renders the configuration, secrets masked, in the file format.
func (c Config) YAML() ([]byte, error) {
	return yaml.Marshal(c.Masked())
}
