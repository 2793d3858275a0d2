package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/config"
)

func TestNotifyAndDigestKeys(t *testing.T) {
	t.Chdir(t.TempDir())
	c, err := config.Load(flags(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.Notify.WebhookURL != "" || c.Notify.Timeout != 10*time.Second || !c.Digest.Enabled || c.Digest.Time != "07:00" {
		t.Fatalf("defaults: %+v %+v", c.Notify, c.Digest)
	}
	if h, m := c.Digest.Clock(); h != 7 || m != 0 {
		t.Fatalf("clock %d:%d", h, m)
	}

	t.Setenv("KOMPETEN_NOTIFY_WEBHOOK_URL", "https://hooks.example.org/services/T000/B000/s3cret")
	t.Setenv("KOMPETEN_DIGEST_TIME", "16:45")
	t.Setenv("KOMPETEN_DIGEST_ENABLED", "false")
	c, err = config.Load(flags(t))
	if err != nil {
		t.Fatal(err)
	}
	if h, m := c.Digest.Clock(); h != 16 || m != 45 || c.Digest.Enabled {
		t.Fatalf("from the environment: %+v", c.Digest)
	}
	y, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(y), "s3cret") || !strings.Contains(string(y), "https://hooks.example.org/") {
		t.Fatalf("webhook not masked in:\n%s", y)
	}
}

func TestNotifyAndDigestValidation(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("KOMPETEN_NOTIFY_WEBHOOK_URL", "hooks.example.org/x")
	t.Setenv("KOMPETEN_NOTIFY_TIMEOUT", "0s")
	t.Setenv("KOMPETEN_DIGEST_TIME", "25:00")
	_, err := config.Load(flags(t))
	if err == nil {
		t.Fatal("bad values accepted")
	}
	for _, want := range []string{"notify.webhook_url: must be an http:// or https:// URL", "notify.timeout: must be a positive duration",
		`digest.time: must be a time of day HH:MM (24-hour, journey.timezone), got "25:00"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// The digest and the command line each have a language, Indonesian unless set: from a file,
// the environment or (the command line's) the --lang flag, the last one winning; a language
// the catalogue does not speak is refused with the key named.
func TestLanguageKeys(t *testing.T) {
	t.Chdir(t.TempDir())
	c, err := config.Load(flags(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.Language != "id" || c.Digest.Language != "id" {
		t.Fatalf("defaults: language %q, digest.language %q", c.Language, c.Digest.Language)
	}

	file := writeFile(t, "language: en\ndigest:\n  language: en\n")
	c, err = config.Load(flags(t, "--config", file))
	if err != nil {
		t.Fatal(err)
	}
	if c.Language != "en" || c.Digest.Language != "en" {
		t.Fatalf("from the file: language %q, digest.language %q", c.Language, c.Digest.Language)
	}

	t.Setenv("KOMPETEN_LANGUAGE", "en")
	t.Setenv("KOMPETEN_DIGEST_LANGUAGE", "en")
	c, err = config.Load(flags(t, "--lang", "id"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Language != "id" || c.Digest.Language != "en" {
		t.Fatalf("flag over environment: language %q, digest.language %q", c.Language, c.Digest.Language)
	}

	t.Setenv("KOMPETEN_LANGUAGE", "fr")
	t.Setenv("KOMPETEN_DIGEST_LANGUAGE", "en-GB")
	_, err = config.Load(flags(t))
	if err == nil {
		t.Fatal("languages the catalogue does not speak accepted")
	}
	for _, want := range []string{`language: must be one of id, en, got "fr"`, `digest.language: must be one of id, en, got "en-GB"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// Escalations have their own language, Indonesian unless set (a file, the environment); a
// language the catalogue does not speak is refused with the key named.
func TestEscalationLanguageKey(t *testing.T) {
	t.Chdir(t.TempDir())
	c, err := config.Load(flags(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.Escalation.Language != "id" {
		t.Fatalf("default escalation.language %q", c.Escalation.Language)
	}
	c, err = config.Load(flags(t, "--config", writeFile(t, "escalation:\n  language: en\n")))
	if err != nil || c.Escalation.Language != "en" || c.Digest.Language != "id" {
		t.Fatalf("from the file: %v, escalation.language %+v, digest.language %q", err, c.Escalation, c.Digest.Language)
	}
	t.Setenv("KOMPETEN_ESCALATION_LANGUAGE", "en")
	if c, err = config.Load(flags(t)); err != nil || c.Escalation.Language != "en" {
		t.Fatalf("from the environment: %v, %+v", err, c.Escalation)
	}
	t.Setenv("KOMPETEN_ESCALATION_LANGUAGE", "jv")
	if _, err = config.Load(flags(t)); err == nil || !strings.Contains(err.Error(), `escalation.language: must be one of id, en, got "jv"`) {
		t.Fatalf("jv: %v", err)
	}
}
