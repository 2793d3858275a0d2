package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// kompeten doctor asks the API that KOMPETEN_SERVER names, with the token, like every operator
// command (it used to dial Temporal at 7233 and open the database itself, wherever dev ran): it
// sends --repair in the body, prints each drift and ends with exit code 3 while one remains.
func TestDoctorAsksTheAPIOfKOMPETEN_SERVER(t *testing.T) {
	t.Chdir(t.TempDir())
	var got struct {
		method, path, auth string
		req                api.DoctorRequest
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.method, got.path, got.auth = r.Method, r.URL.Path, r.Header.Get("Authorization")
		_ = json.NewDecoder(r.Body).Decode(&got.req)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(starter.DoctorReport{Checked: 3, Drifts: []starter.Drift{
			{CaseID: "k3f9x2m7qa", WorkflowID: "journey/P/x", Problem: `stage: read model "placement", workflow "enrolment"`, Repaired: got.req.Repair},
		}})
	}))
	t.Cleanup(srv.Close)
	t.Setenv("KOMPETEN_SERVER", srv.URL)
	t.Setenv("KOMPETEN_TOKEN", "kpt_ops")
	t.Setenv("KOMPETEN_TEMPORAL_ADDRESS", "127.0.0.1:1") // nothing listens there: the doctor must not dial it

	code, stderr := run(t, "doctor")
	if code != exitDrift || got.method != http.MethodPost || got.path != "/api/v1/doctor" || got.auth != "Bearer kpt_ops" || got.req.Repair {
		t.Fatalf("doctor: exit %d (%s), request %s %s auth %q repair %v", code, stderr, got.method, got.path, got.auth, got.req.Repair)
	}
	root := newRoot()
	var out strings.Builder
	root.SetOut(&out)
	root.SetArgs([]string{"doctor", "--repair"})
	if err := root.Execute(); err != nil || !got.req.Repair {
		t.Fatalf("doctor --repair: %v, repair sent %v", err, got.req.Repair)
	}
	if !strings.Contains(out.String(), "3 cases checked, 1 with drift") || !strings.Contains(out.String(), "k3f9x2m7qa") || !strings.Contains(out.String(), "[repaired]") {
		t.Fatalf("doctor --repair printed:\n%s", out.String())
	}
}
