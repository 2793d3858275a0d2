package simulator_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/simulator"
)

// call sends a request to h and returns the status and decoded JSON body.
func call(t *testing.T, h http.Handler, method, path, body string, hdr map[string]string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %s: body %q: %v", method, path, rec.Body.String(), err)
		}
	}
	return rec.Code, out
}

const regBody = `{"nik":"3515014101990001","name":"Siti","birth_date":"1999-01-01T00:00:00Z","centre":"BLK-SDA",
"coverage_start":"2027-03-01T00:00:00Z","coverage_end":"2027-04-30T00:00:00Z","declared_income":1000000,
"monthly_fee":16800,"programs":["JKK","JKM"]}`

func TestControlOutageAndStats(t *testing.T) {
	sim := simulator.NewBPJS(simulator.Config{APIKey: "k"})
	auth := map[string]string{"Authorization": "Bearer k", "Idempotency-Key": "case-1"}

	if code, _ := call(t, sim, "POST", "/v1/registrations", regBody, map[string]string{"Idempotency-Key": "x"}); code != 401 {
		t.Errorf("no key: %d, want 401", code)
	}
	code, body := call(t, sim, "POST", "/v1/registrations", regBody, auth)
	if code != 201 || len(body["kpj"].(string)) != 11 {
		t.Fatalf("register: %d %v", code, body)
	}
	if code, _ := call(t, sim, "POST", "/v1/registrations", regBody, auth); code != 200 {
		t.Errorf("replay: %d, want 200", code)
	}

	if code, _ := call(t, sim, "POST", "/sim/outage", `{"duration":"10m"}`, nil); code != 200 {
		t.Fatalf("start outage: %d", code)
	}
	code, body = call(t, sim, "POST", "/v1/registrations", regBody, auth)
	if code != 503 || body["code"] != "outage" {
		t.Errorf("during outage: %d %v", code, body)
	}
	if code, _ := call(t, sim, "DELETE", "/sim/outage", "", nil); code != 204 {
		t.Errorf("end outage: %d", code)
	}
	if sim.InOutage() {
		t.Error("still in outage")
	}

	code, body = call(t, sim, "GET", "/sim/stats", "", nil)
	if code != 200 || body["registrations"] != 1.0 || body["register_calls"] != 4.0 {
		t.Errorf("stats: %d %v", code, body)
	}
	if byKey := body["registrations_by_key"].(map[string]any); byKey["case-1"] != 1.0 {
		t.Errorf("registrations_by_key %v", byKey)
	}
	if calls := body["register_calls_by_key"].(map[string]any); calls["case-1"] != 3.0 {
		t.Errorf("register_calls_by_key %v", calls)
	}
}

func TestControlConfig(t *testing.T) {
	sim := simulator.NewLSP(simulator.LSPConfig{})
	code, body := call(t, sim, "POST", "/sim/config", `{"error_rate":0.2,"bk_rate":0.3,"result_delay":"48h"}`, nil)
	if code != 200 || body["error_rate"] != 0.2 || body["bk_rate"] != 0.3 || body["result_delay"] != "48h0m0s" {
		t.Errorf("config: %d %v", code, body)
	}
	if code, _ := call(t, sim, "POST", "/sim/config", `{"error_rate":2}`, nil); code != 400 {
		t.Errorf("rate 2: %d, want 400", code)
	}
	if code, _ := call(t, sim, "POST", "/sim/config", `{"latency":"-1s"}`, nil); code != 400 {
		t.Errorf("negative latency: %d, want 400", code)
	}
	if code, _ := call(t, simulator.NewBPJS(simulator.Config{}), "POST", "/sim/config", `{"bk_rate":0.1}`, nil); code != 400 {
		t.Errorf("LSP key on BPJS: %d, want 400", code)
	}
	if code, _ := call(t, sim, "POST", "/sim/outage", `{"duration":"soon"}`, nil); code != 400 {
		t.Errorf("bad duration: %d, want 400", code)
	}
}
