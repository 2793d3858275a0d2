package simulator_test

import (
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/simulator"
)

// Given the schemes' units, the LSP assesses exactly those, refuses a scheme it has none for,
// and refuses a unit that is not the scheme's.
func TestLSPAssessesTheSchemesUnits(t *testing.T) {
	sim := simulator.NewLSP(simulator.LSPConfig{SchemeUnits: map[string][]string{"SKM-LAS": {"LOG.OO01.002.01", "LOG.OO18.002.01"}}})
	hdr := func(key string) map[string]string { return map[string]string{"Idempotency-Key": key} }
	code, sched := call(t, sim, "POST", "/v1/assessments", `{"scheme":"SKM-LAS","candidate_ref":"c1","candidate_name":"Siti"}`, hdr("k1"))
	if code != 201 {
		t.Fatalf("schedule: %d %v", code, sched)
	}
	code, res := call(t, sim, "GET", "/v1/assessments/"+sched["assessment_id"].(string)+"/result", "", nil)
	units, _ := res["units"].([]any)
	if code != 200 || len(units) != 2 || units[1].(map[string]any)["unit"] != "LOG.OO18.002.01" {
		t.Fatalf("result: %d %v", code, res)
	}
	if code, body := call(t, sim, "POST", "/v1/assessments", `{"scheme":"SKM-NOPE","candidate_ref":"c2","candidate_name":"Budi"}`, hdr("k2")); code != 422 || body["code"] != "scheme_not_offered" {
		t.Errorf("unknown scheme: %d %v", code, body)
	}
	if code, body := call(t, sim, "POST", "/v1/assessments", `{"scheme":"SKM-LAS","candidate_ref":"c3","candidate_name":"Ani","units":["SKM-LAS.U01"]}`, hdr("k3")); code != 422 || body["code"] != "unknown_unit" {
		t.Errorf("made-up unit: %d %v", code, body)
	}
}

// The control API makes the LSP refuse one candidate's certificate, then stop refusing; the
// certificate is then issued once under the same key.
func TestLSPRefusesACertificateUntilToldToStop(t *testing.T) {
	sim := simulator.NewLSP(simulator.LSPConfig{})
	code, sched := call(t, sim, "POST", "/v1/assessments", `{"scheme":"LAS","candidate_ref":"c1","candidate_name":"Siti","not_before":"2000-01-01T00:00:00Z"}`,
		map[string]string{"Idempotency-Key": "c1-assess-1"})
	if code != 201 {
		t.Fatalf("schedule: %d %v", code, sched)
	}
	issue := `{"assessment_id":"` + sched["assessment_id"].(string) + `","scheme":"LAS","candidate_ref":"c1","candidate_name":"Siti","issue_date":"` + time.Now().UTC().Format(time.RFC3339) + `"}`
	key := map[string]string{"Idempotency-Key": "c1-cert"}
	if code, _ := call(t, sim, "POST", "/sim/refusals", `{"candidate_ref":"c1","message":"no assessment with this id"}`, nil); code != 204 {
		t.Fatalf("refuse: %d", code)
	}
	if code, body := call(t, sim, "POST", "/v1/certificates", issue, key); code != 422 || body["code"] != "record_refused" || body["message"] != "no assessment with this id" {
		t.Fatalf("while refusing: %d %v", code, body)
	}
	if code, _ := call(t, sim, "DELETE", "/sim/refusals/c1", "", nil); code != 204 {
		t.Fatalf("stop refusing: %d", code)
	}
	for range 2 {
		if code, body := call(t, sim, "POST", "/v1/certificates", issue, key); code != 201 && code != 200 {
			t.Fatalf("after the fix: %d %v", code, body)
		}
	}
	st := sim.Stats()
	if st.Certificates != 1 || st.CertificatesByKey["c1-cert"] != 1 || st.CertificateCallsByKey["c1-cert"] != 3 {
		t.Fatalf("stats %+v", st)
	}
}
