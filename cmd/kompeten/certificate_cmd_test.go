package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Each way out posts its own action with the reason (and, to re-assess, the units); the two
// that settle something need a reason before anything is sent.
func TestCertificateWaysOut(t *testing.T) {
	t.Chdir(t.TempDir())
	type sent struct {
		path string
		body workflows.RefusalDecision
	}
	var got []sent
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b workflows.RefusalDecision
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
			t.Errorf("body: %v", err)
		}
		got = append(got, sent{r.URL.Path, b})
		_ = json.NewEncoder(w).Encode(workflows.UpdateResult{CaseID: "k3f9x2m7qa", Stage: "certification", Message: "ok"})
	}))
	t.Cleanup(srv.Close)

	for _, args := range [][]string{
		{"certificate", "retry", "k3f9x2m7qa"},
		{"certificate", "reassess", "k3f9x2m7qa", "--unit", "LOG.OO18.002.01", "--unit", "LOG.OO09.001.01", "--reason", "LSP record says BK"},
		{"certificate", "skip", "k3f9x2m7qa", "--reason", "trainee declined a new test"},
	} {
		if code, stderr := run(t, append(args, "--server", srv.URL, "--token", "kpt_x")...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	if len(got) != 3 {
		t.Fatalf("sent %+v", got)
	}
	want := []string{"/retry-refused", "/order-reassessment", "/close-uncertified"}
	for i, s := range got {
		if s.path != "/api/v1/cases/k3f9x2m7qa"+want[i] {
			t.Errorf("request %d went to %s", i, s.path)
		}
	}
	if u := got[1].body.Units; len(u) != 2 || u[0] != "LOG.OO18.002.01" || got[1].body.Reason != "LSP record says BK" {
		t.Errorf("re-assessment body %+v", got[1].body)
	}
	if got[2].body.Reason != "trainee declined a new test" || got[2].body.Actor.Role != "coordinator" {
		t.Errorf("skip body %+v", got[2].body)
	}

	for _, verb := range []string{"skip", "reassess"} {
		code, stderr := run(t, "certificate", verb, "k3f9x2m7qa", "--server", srv.URL, "--token", "kpt_x")
		if code != exitFailure || !strings.Contains(stderr, "--reason is required") {
			t.Errorf("%s without a reason: exit %d, %s", verb, code, stderr)
		}
	}
	if len(got) != 3 {
		t.Errorf("a step without its reason was sent: %+v", got[3:])
	}
}
