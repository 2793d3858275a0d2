package config_test

import (
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/config"
)

// Payload keys and the codec token never reach `kompeten config`; key ids do, so an operator
// can see which keys a process has.
func TestMaskedHidesPayloadKeysAndCodecToken(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("KOMPETEN_SECURITY_PAYLOAD_KEYS", "k2026b:QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=,k2026a:QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=")
	t.Setenv("KOMPETEN_SECURITY_CODEC_TOKEN", "codec-token-0123456789abcdef0123456789")
	c, err := config.Load(flags(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Security.PayloadKeys) != 2 || !strings.HasPrefix(c.Security.PayloadKeys[0], "k2026b:") {
		t.Fatalf("payload keys from the environment: %d entries", len(c.Security.PayloadKeys))
	}
	b, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	for _, secret := range []string{"QUFBQUFB", "QkJCQkJC", "codec-token-0123456789abcdef0123456789"} {
		if strings.Contains(out, secret) {
			t.Errorf("printed configuration contains the secret %q", secret)
		}
	}
	for _, id := range []string{"k2026b:", "k2026a:"} {
		if !strings.Contains(out, id) {
			t.Errorf("printed configuration should name key %s", id)
		}
	}
}

func TestSecurityValuesNameTheKey(t *testing.T) {
	t.Chdir(t.TempDir())
	cases := map[string]struct {
		env  map[string]string
		want string
	}{
		"short token": {map[string]string{"KOMPETEN_SECURITY_CODEC_TOKEN": "short"}, "security.codec_token: must be at least 32"},
		"both key sources": {map[string]string{
			"KOMPETEN_SECURITY_PAYLOAD_KEYS":     "k:QUFB",
			"KOMPETEN_SECURITY_PAYLOAD_KEY_FILE": "/etc/hosts",
		}, "set either security.payload_keys or security.payload_key_file"},
		"missing key file": {map[string]string{"KOMPETEN_SECURITY_PAYLOAD_KEY_FILE": "/nonexistent/payload.keys"}, "security.payload_key_file: cannot read"},
		"metrics addr":     {map[string]string{"KOMPETEN_METRICS_ADDR": "nowhere"}, "metrics.addr"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			_, err := config.Load(flags(t))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
