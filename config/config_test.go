package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/bpvp-sidoarjo/kompeten/config"
)

func flags(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	config.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kompeten.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaults(t *testing.T) {
	t.Chdir(t.TempDir())
	c, err := config.Load(flags(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Addr != "127.0.0.1:8080" || c.Temporal.Address != "127.0.0.1:7233" || c.Dev.UIAddr != "127.0.0.1:8233" || c.DataDir != ".kompeten" {
		t.Fatalf("defaults: http %s temporal %s ui %s data %s", c.HTTP.Addr, c.Temporal.Address, c.Dev.UIAddr, c.DataDir)
	}
	if c.SLA.Insurance != 48*time.Hour || len(c.Journey.FollowUpMonths) != 4 {
		t.Fatalf("defaults: sla.insurance %s followups %v", c.SLA.Insurance, c.Journey.FollowUpMonths)
	}
}

// File < environment < flag.
func TestPrecedence(t *testing.T) {
	t.Chdir(t.TempDir())
	file := writeFile(t, "http:\n  addr: 127.0.0.1:1111\ndata_dir: /from/file\nsla:\n  insurance: 3h\njourney:\n  followup_months: [2, 4]\n")
	t.Setenv("KOMPETEN_HTTP_ADDR", "127.0.0.1:2222")
	t.Setenv("KOMPETEN_SLA_INSURANCE", "90m")
	c, err := config.Load(flags(t, "--config", file, "--http-addr", "127.0.0.1:3333"))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Addr != "127.0.0.1:3333" {
		t.Errorf("flag should win: http.addr = %s", c.HTTP.Addr)
	}
	if c.SLA.Insurance != 90*time.Minute {
		t.Errorf("environment should beat the file: sla.insurance = %s", c.SLA.Insurance)
	}
	if c.DataDir != "/from/file" {
		t.Errorf("file should beat the default: data_dir = %s", c.DataDir)
	}
	if len(c.Journey.FollowUpMonths) != 2 || c.Journey.FollowUpMonths[1] != 4 {
		t.Errorf("followup_months from the file = %v", c.Journey.FollowUpMonths)
	}
	t.Setenv("KOMPETEN_JOURNEY_FOLLOWUP_MONTHS", "1,6")
	c, err = config.Load(flags(t, "--config", file))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Journey.FollowUpMonths) != 2 || c.Journey.FollowUpMonths[1] != 6 {
		t.Errorf("followup_months from the environment = %v", c.Journey.FollowUpMonths)
	}
}

// An LSP override is found by the LSP's registry code, as written in the file, although viper
// lowercases the keys it reads.
func TestLSPOverrideKeepsTheRegistryCode(t *testing.T) {
	t.Chdir(t.TempDir())
	file := writeFile(t, "partners:\n  lsp_overrides:\n    LSP-BLK-SBY:\n      base_url: https://lsp.example/api\n")
	c, err := config.Load(flags(t, "--config", file))
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := c.Partners.LSPOverrides["LSP-BLK-SBY"]; !ok || p.BaseURL != "https://lsp.example/api" {
		t.Fatalf("overrides %+v: LSP-BLK-SBY not found by its code", c.Partners.LSPOverrides)
	}
}

func TestBadValuesNameTheKey(t *testing.T) {
	t.Chdir(t.TempDir())
	cases := map[string]struct{ env, value, want string }{
		"port":     {"KOMPETEN_HTTP_ADDR", "127.0.0.1:abc", `http.addr: port "abc" is not a number`},
		"duration": {"KOMPETEN_SLA_INSURANCE", "soon", "sla.insurance"},
		"rate":     {"KOMPETEN_SIMULATORS_BPJS_ERROR_RATE", "1.5", "simulators.bpjs.error_rate: must be between 0 and 1"},
		"adapter":  {"KOMPETEN_PARTNERS_BPJS_ADAPTER", "fax", `partners.bpjs.adapter: must be http or batch, got "fax"`},
		"int":      {"KOMPETEN_JOURNEY_MIN_AGE", "seventeen", "journey.min_age"},
		"database": {"KOMPETEN_DATABASE_URL", "mysql://x", "database.url: must start with postgres://"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Setenv(tc.env, tc.value)
			_, err := config.Load(flags(t))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestMaskedHidesSecrets(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("KOMPETEN_TEMPORAL_API_KEY", "secret-api-key")
	t.Setenv("KOMPETEN_DATABASE_URL", "postgres://kompeten:hunter2@db:5432/kompeten")
	t.Setenv("KOMPETEN_SECURITY_NIK_HASH_KEY", "0123456789abcdef0123456789abcdef")
	c, err := config.Load(flags(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	for _, secret := range []string{"secret-api-key", "hunter2", "0123456789abcdef0123456789abcdef"} {
		if strings.Contains(out, secret) {
			t.Errorf("printed configuration contains the secret %q", secret)
		}
	}
	if !strings.Contains(out, "postgres://kompeten:") || !strings.Contains(out, "@db:5432/kompeten") {
		t.Errorf("database url should stay readable apart from the password:\n%s", out)
	}
	if c.Temporal.APIKey != "secret-api-key" {
		t.Errorf("masking must not change the configuration itself")
	}
}
