package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// approve enrolment --package P --all-eligible waits for a journey still checking its rules,
// approves every case of the package waiting on the centre admin with every rule met, and
// leaves out (naming it) one that failed a rule, and anything not waiting for that decision.
func TestApproveAllEligible(t *testing.T) {
	t.Chdir(t.TempDir())
	var mu sync.Mutex
	lists := 0
	var approved []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		switch {
		case r.Method == "GET" && r.URL.Path == "/api/v1/packages/P":
			_ = enc.Encode(store.Package{Code: "P"})
		case r.Method == "GET" && r.URL.Path == "/api/v1/cases":
			if q := r.URL.Query(); q.Get("package") != "P" || q.Get("stage") != "enrolment" || q.Get("status") != "open" {
				t.Errorf("list filter %s", r.URL.RawQuery)
			}
			lists++
			checking := vocab.WaitingCentreAdmin
			if lists == 1 {
				checking = "" // still checking its rules on the first look
			}
			_ = enc.Encode([]store.Case{
				{CaseID: "aaaaaaaaaa", Stage: vocab.StageEnrolment, WaitingOn: vocab.WaitingCentreAdmin},
				{CaseID: "bbbbbbbbbb", Stage: vocab.StageEnrolment, WaitingOn: checking},
				{CaseID: "cccccccccc", Stage: vocab.StageEnrolment, WaitingOn: vocab.WaitingCentreAdmin},
				{CaseID: "dddddddddd", Stage: vocab.StageEnrolment, WaitingOn: vocab.WaitingCorrection},
			})
		case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/api/v1/cases/"):
			id := strings.TrimPrefix(r.URL.Path, "/api/v1/cases/")
			v := api.CaseView{Case: store.Case{CaseID: id}, State: &workflows.CaseState{}}
			if id == "cccccccccc" {
				v.State.Enrolment.Problems = []string{"age 16 at the start date is below the minimum 17"}
			}
			_ = enc.Encode(v)
		case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/enrolment"):
			id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/cases/"), "/enrolment")
			approved = append(approved, id)
			_ = enc.Encode(workflows.UpdateResult{CaseID: id, Stage: vocab.StageEnrolment, Message: "enrolment approved"})
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL)
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)

	root := newRoot()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs([]string{"approve", "enrolment", "--package", "P", "--all-eligible", "--server", srv.URL, "--token", "kpt_x"})
	if err := root.Execute(); err != nil {
		t.Fatalf("approve: %v\n%s", err, errOut.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(approved, []string{"aaaaaaaaaa", "bbbbbbbbbb"}) || lists != 2 {
		t.Fatalf("approved %v after %d looks, want aaaaaaaaaa and bbbbbbbbbb after 2", approved, lists)
	}
	for _, s := range []string{"waiting for the enrolment check of 1 case(s) to finish", "left out cccccccccc: rules not met: age 16"} {
		if !strings.Contains(errOut.String(), s) {
			t.Errorf("stderr lacks %q:\n%s", s, errOut.String())
		}
	}
	if !strings.Contains(out.String(), "aaaaaaaaaa: enrolment approved") {
		t.Errorf("stdout:\n%s", out.String())
	}
	for _, args := range [][]string{
		{"approve", "enrolment", "--all-eligible"},
		{"approve", "enrolment", "aaaaaaaaaa", "--package", "P", "--all-eligible"},
		{"approve", "enrolment", "--package", "P"},
		{"approve", "enrolment"},
		{"approve", "placement", "aaaaaaaaaa"},
	} {
		if code, stderr := run(t, append(args, "--server", srv.URL)...); code != exitFailure {
			t.Errorf("%v: exit %d, want 1 (%s)", args, code, stderr)
		}
	}
}
