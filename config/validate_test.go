package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/config"
)

// Problems come one per line, sorted, the same on every start: the checks that range over
// several keys (worker tuning, simulators, partner timeouts, TLS files) once followed map order.
func TestValidationErrorsAreSorted(t *testing.T) {
	t.Chdir(t.TempDir())
	for k, v := range map[string]string{
		"KOMPETEN_WORKER_STICKY_CACHE_SIZE":   "-3",
		"KOMPETEN_WORKER_ACTIVITY_POLLERS":    "-1",
		"KOMPETEN_WORKER_WORKFLOW_POLLERS":    "-2",
		"KOMPETEN_SIMULATORS_LSP_ERROR_RATE":  "3",
		"KOMPETEN_SIMULATORS_BPJS_ERROR_RATE": "2",
		"KOMPETEN_SIMULATORS_LSP_OUTAGES":     "soon",
		"KOMPETEN_PARTNERS_ATTEMPT_TIMEOUT":   "1s",
		"KOMPETEN_TEMPORAL_TLS_ENABLED":       "true",
		"KOMPETEN_TEMPORAL_TLS_CA_FILE":       "/nonexistent/ca.pem",
		"KOMPETEN_TEMPORAL_TLS_CERT_FILE":     "/nonexistent/cert.pem",
		"KOMPETEN_TEMPORAL_TLS_KEY_FILE":      "/nonexistent/key.pem",
		"KOMPETEN_HTTP_ADDR":                  "nowhere",
		"KOMPETEN_DIGEST_TIME":                "25:00",
	} {
		t.Setenv(k, v)
	}
	var first string
	for i := range 20 {
		_, err := config.Load(flags(t))
		if err == nil {
			t.Fatal("bad values accepted")
		}
		if i == 0 {
			first = err.Error()
			continue
		}
		if err.Error() != first {
			t.Fatalf("errors came in another order on load %d:\n%s\nfirst:\n%s", i+1, err, first)
		}
	}
	lines := strings.Split(first, "\n")
	if !slices.IsSorted(lines) {
		t.Errorf("errors are not sorted:\n%s", first)
	}
	var keys []string
	for _, l := range lines {
		key, _, _ := strings.Cut(l, ":")
		keys = append(keys, key)
	}
	want := []string{
		"digest.time", "http.addr",
		"partners.attempt_timeout", "partners.attempt_timeout",
		"simulators.bpjs.error_rate", "simulators.lsp.error_rate", "simulators.lsp.outages",
		"temporal.tls.ca_file", "temporal.tls.cert_file", "temporal.tls.key_file",
		"worker.activity_pollers", "worker.sticky_cache_size", "worker.workflow_pollers",
	}
	if !slices.Equal(keys, want) {
		t.Errorf("errors name %v, want %v:\n%s", keys, want, first)
	}
}

// The help of a configuration flag names its environment variable and its default, both
// taken from the key.
func TestFlagHelp(t *testing.T) {
	fs := flags(t)
	for flag, want := range map[string]string{
		"data-dir":     "(env KOMPETEN_DATA_DIR; default .kompeten)",
		"namespace":    `(env KOMPETEN_TEMPORAL_NAMESPACE; default "default")`,
		"database-url": "(env KOMPETEN_DATABASE_URL; empty in dev: localhost or a private cluster)",
		"log-level":    "(env KOMPETEN_LOG_LEVEL)",
		"ui-addr":      "(env KOMPETEN_DEV_UI_ADDR; default " + config.Default().Dev.UIAddr + ")",
	} {
		f := fs.Lookup(flag)
		if f == nil {
			t.Errorf("no --%s flag", flag)
			continue
		}
		if !strings.HasSuffix(f.Usage, want) {
			t.Errorf("--%s help %q does not end in %q", flag, f.Usage, want)
		}
	}
}
