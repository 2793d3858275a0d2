package config_test

import (
	"reflect"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/config"
)

// emptyByDesign are the keys whose default is deliberately empty, zero or false, and why. Any
// other key must have a default: a key added without one fails TestEveryKeyHasADefault.
var emptyByDesign = map[string]string{
	"auth.oidc.issuer":                       "single sign-on is off until an organisation names its provider",
	"auth.oidc.client_id":                    "given by the provider when kompeten is registered there",
	"auth.oidc.client_secret":                "a secret, given by the provider",
	"auth.oidc.redirect_url":                 "kompeten's own public address, known only where it is deployed",
	"auth.oidc.roles":                        "an allow-list: nobody gets a role that was not listed on purpose",
	"temporal.api_key":                       "only for a cluster that asks for one",
	"temporal.tls.enabled":                   "the dev server and a local cluster speak plain gRPC",
	"temporal.tls.cert_file":                 "TLS is off by default",
	"temporal.tls.key_file":                  "TLS is off by default",
	"temporal.tls.ca_file":                   "TLS is off by default",
	"temporal.tls.server_name":               "TLS is off by default",
	"database.url":                           "dev finds or starts PostgreSQL itself",
	"database.migrate_on_start":              "production migrates on purpose (kompeten migrate); serve says so when the schema is behind",
	"security.nik_hash_key":                  "a secret: generated in dev, set by hand in production",
	"security.payload_keys":                  "a secret: generated in dev, set by hand in production",
	"security.payload_key_file":              "the alternative to security.payload_keys",
	"security.codec_token":                   "a secret: generated in dev; empty turns the codec endpoint off",
	"security.codec_origins":                 "dev fills in the Web UI's address",
	"security.actor_key":                     "a secret: generated in dev, set by hand in production",
	"security.trusted_proxies":               "without a proxy in front the connection's peer is the client; trusting a header by default would let anyone choose their address",
	"selfreport.key":                         "a secret: generated in dev, set by hand in production",
	"selfreport.public_url":                  "dev derives it from http.addr",
	"metrics.addr":                           "the worker's own /metrics endpoint is opt-in",
	"journey.max_age":                        "0 means no upper bound",
	"insurance.tail_days":                    "coverage ends on the last training day unless a tail is asked for",
	"partners.bpjs.base_url":                 "dev points it at the simulator; production names the partner",
	"partners.bpjs.api_key":                  "a secret of the partner",
	"partners.lsp.base_url":                  "dev points it at the simulator; production names the partner",
	"partners.lsp.api_key":                   "a secret of the partner",
	"partners.lsp_overrides":                 "no LSP is reached elsewhere unless configured",
	"simulators.bpjs.data_error_rate":        "simulated partners accept every record unless asked not to",
	"simulators.lsp.data_error_rate":         "simulated partners accept every record unless asked not to",
	"simulators.bpjs.bk_rate":                "the BPJS simulator assesses nobody",
	"simulators.bpjs.schedule_lead":          "the BPJS simulator assesses nobody",
	"simulators.bpjs.result_delay":           "the BPJS simulator assesses nobody",
	"simulators.bpjs.outages":                "no outage unless one is asked for",
	"simulators.lsp.outages":                 "no outage unless one is asked for",
	"messaging.whatsapp.base_url":            "dev points it at the simulator; production names graph.facebook.com",
	"messaging.whatsapp.phone_number_id":     "the business number's id, from Meta",
	"messaging.whatsapp.token":               "a secret from Meta",
	"messaging.whatsapp.app_secret":          "a secret from Meta; dev makes one for its simulator",
	"messaging.whatsapp.verify_token":        "chosen when the webhook is registered with Meta",
	"messaging.sms.base_url":                 "dev points it at the simulator; production names the gateway",
	"messaging.sms.api_key":                  "a secret of the gateway",
	"messaging.sms.secret":                   "a secret of the gateway; dev makes one for its simulator",
	"mou.reminder_webhook":                   "reminders go to the log unless a webhook is set",
	"notify.webhook_url":                     "notifications go to the log unless a webhook is set",
	"worker.workflow_pollers":                "0 keeps the Temporal SDK's default",
	"worker.activity_pollers":                "0 keeps the Temporal SDK's default",
	"worker.max_concurrent_workflow_tasks":   "0 keeps the Temporal SDK's default",
	"worker.max_concurrent_activities":       "0 keeps the Temporal SDK's default",
	"worker.max_concurrent_local_activities": "0 keeps the Temporal SDK's default",
	"worker.sticky_cache_size":               "0 keeps the Temporal SDK's default",
	"worker.versioning":                      "with it on a worker takes nothing until its build is current: an installation opts in",
	"worker.build_id":                        "empty takes the binary's version or commit",
}

// empty is true for a zero value and for an empty list or map.
func empty(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Map:
		return rv.Len() == 0
	}
	return rv.IsZero()
}

func TestEveryKeyHasADefault(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range config.Keys(config.Default()) {
		seen[k.Name] = true
		_, listed := emptyByDesign[k.Name]
		switch {
		case empty(k.Value) && !listed:
			t.Errorf("%s has no default: give it one in config.Default, or list it in emptyByDesign with the reason", k.Name)
		case !empty(k.Value) && listed:
			t.Errorf("%s is listed as empty by design but defaults to %v", k.Name, k.Value)
		}
	}
	for name := range emptyByDesign {
		if !seen[name] {
			t.Errorf("emptyByDesign lists %s, which is not a configuration key", name)
		}
	}
}

// Load with nothing set gives Default(): viper's defaults are registered from it, key by key.
func TestLoadWithNothingSetIsDefault(t *testing.T) {
	t.Chdir(t.TempDir())
	c, err := config.Load(flags(t))
	if err != nil {
		t.Fatal(err)
	}
	want := config.Keys(config.Default())
	got := config.Keys(*c)
	if len(got) != len(want) {
		t.Fatalf("%d keys loaded, %d in Default()", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Name != w.Name || !(reflect.DeepEqual(g.Value, w.Value) || empty(g.Value) && empty(w.Value)) {
			t.Errorf("%s = %#v after Load, Default() has %s = %#v", g.Name, g.Value, w.Name, w.Value)
		}
	}
}

func TestEnvVar(t *testing.T) {
	if got := config.EnvVar("temporal.tls.ca_file"); got != "KOMPETEN_TEMPORAL_TLS_CA_FILE" {
		t.Fatalf("EnvVar = %s", got)
	}
}
