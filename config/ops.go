package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

// NotifyConfig says where notifications about stuck cases go: the daily digest and
// escalations are always written to the log, and posted as JSON to the webhook when one is set.
type NotifyConfig struct {
	// WebhookURL receives each notification (a chat incoming webhook, an on-call tool).
	WebhookURL string `mapstructure:"webhook_url" yaml:"webhook_url"`
	// Timeout bounds one post; a failed post is retried by the workflow that sends it.
	Timeout time.Duration `mapstructure:"timeout" yaml:"timeout"`
}

// DigestConfig schedules the daily digest of stuck cases (a Temporal Schedule).
type DigestConfig struct {
	Enabled bool `mapstructure:"enabled" yaml:"enabled"`
	// Time is when the digest goes out each day, HH:MM in journey.timezone.
	Time string `mapstructure:"time" yaml:"time"`
	// Language is the digest's language ("id", the default, or "en"): the digest goes to a
	// webhook (a shared room), not to one account, so it has its own setting rather than a
	// reader's preference.
	Language string `mapstructure:"language" yaml:"language"`
}

// EscalationConfig words the escalations (kompeten escalate, the Escalate button, a KPJ that
// came back after its case closed).
type EscalationConfig struct {
	// Language is the escalations' language ("id", the default, or "en"): like the digest, an
	// escalation goes to the log and the webhook (a shared room or an on-call tool), not to one
	// account, so it has its own setting rather than a reader's preference. It is carried in
	// each escalation's input.
	Language string `mapstructure:"language" yaml:"language"`
}

// Clock splits Time into hour and minute; Validate has checked it, and an unchecked value
// that does not parse gives the default's.
func (d DigestConfig) Clock() (hour, minute int) {
	t, err := time.Parse("15:04", d.Time)
	if err != nil {
		t, _ = time.Parse("15:04", Default().Digest.Time)
	}
	return t.Hour(), t.Minute()
}

// validateOps checks the notify and digest keys.
func validateOps(c *Config) []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	if u := c.Notify.WebhookURL; u != "" {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			bad("notify.webhook_url", "must be an http:// or https:// URL with a host")
		}
	}
	if c.Notify.Timeout <= 0 {
		bad("notify.timeout", "must be a positive duration such as 10s, got %s", c.Notify.Timeout)
	}
	if _, err := time.Parse("15:04", c.Digest.Time); err != nil {
		bad("digest.time", "must be a time of day HH:MM (24-hour, journey.timezone), got %q", c.Digest.Time)
	}
	if !i18n.Known(c.Digest.Language) {
		bad("digest.language", "must be one of %s, got %q", langList(), c.Digest.Language)
	}
	if !i18n.Known(c.Escalation.Language) {
		bad("escalation.language", "must be one of %s, got %q", langList(), c.Escalation.Language)
	}
	return errs
}

// langList names the languages the catalogue speaks, for the validation messages of
// digest.language, escalation.language and language.
func langList() string {
	names := make([]string, len(i18n.Langs))
	for i, l := range i18n.Langs {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

// maskWebhook keeps a webhook's scheme and host: its path and query often hold a token.
func maskWebhook(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" || u.Host == "" {
		if raw == "" {
			return ""
		}
		return mask
	}
	return u.Scheme + "://" + u.Host + "/" + mask
}
