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
