package simulator_test

import (
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/simulator"
)

// A NIK the population register knows as someone else is refused as bad data until the record
// is corrected; the corrected one (a new key, as kompeten sends after a correction) registers once.
func TestBPJSRefusesARecordThePopulationRegisterContradicts(t *testing.T) {
	sim := simulator.NewBPJS(simulator.Config{APIKey: "k"})
	hdr := func(key string) map[string]string {
		return map[string]string{"Authorization": "Bearer k", "Idempotency-Key": key}
	}
	if code, _ := call(t, sim, "POST", "/sim/population", `{"nik":"3515014101990001","name":"Siti  Nurhaliza","birth_date":"1999-01-01"}`, nil); code != 204 {
		t.Fatalf("population: %d", code)
	}
	code, body := call(t, sim, "POST", "/v1/registrations", regBody, hdr("case-1-bpjs-0"))
	if code != 422 || body["code"] != "identity_mismatch" {
		t.Fatalf("wrong name: %d %v", code, body)
	}
	fixed := strings.Replace(regBody, `"name":"Siti"`, `"name":"siti nurhaliza"`, 1)
	if code, body = call(t, sim, "POST", "/v1/registrations", fixed, hdr("case-1-bpjs-1")); code != 201 {
		t.Fatalf("corrected: %d %v", code, body)
	}
	if n := sim.Registrations()["case-1-bpjs-1"]; n != 1 || sim.RegistrationCount() != 1 {
		t.Fatalf("registrations %v", sim.Registrations())
	}
	if code, _ := call(t, sim, "POST", "/sim/population", `{"nik":"1"}`, nil); code != 400 {
		t.Fatalf("incomplete person: %d", code)
	}
}
