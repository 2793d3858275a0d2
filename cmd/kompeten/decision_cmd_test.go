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
	lists, bulks := 0, 0
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
		case r.Method == "POST" && r.URL.Path == "/api/v1/decisions":
			bulks++
			var req api.DecisionsRequest
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Kind != "enrolment" || req.Action != "approve" || req.OverrideRules {
				t.Errorf("bulk request %+v (%v)", req, err)
			}
			approved = append(approved, req.CaseIDs...)
			res := api.DecisionsResponse{Kind: req.Kind, Action: req.Action, Total: len(req.CaseIDs)}
			for _, id := range req.CaseIDs {
				res.Outcomes = append(res.Outcomes, api.DecisionOutcome{CaseID: id, OK: true, Status: 200, Message: "enrolment approved"})
			}
			_ = enc.Encode(res)
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
	if !slices.Equal(approved, []string{"aaaaaaaaaa", "bbbbbbbbbb"}) || lists != 2 || bulks != 1 {
		t.Fatalf("approved %v after %d looks in %d requests, want aaaaaaaaaa and bbbbbbbbbb after 2 in one", approved, lists, bulks)
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

// Several case IDs go to the server as one bulk request, in the order given (the order seats
// are taken), a reason to approve confirms an override of rules not met as it does for one
// case, and each case's outcome is printed: a refused one on standard error with the server's
// words and exit code 2, the others on standard output.
func TestApproveSeveralCasesIsOneRequest(t *testing.T) {
	t.Chdir(t.TempDir())
	var mu sync.Mutex
	var reqs []api.DecisionsRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Method != "POST" || r.URL.Path != "/api/v1/decisions" {
			t.Errorf("unexpected %s %s", r.Method, r.URL)
			w.WriteHeader(http.StatusNotFound)
			return
		}
		var req api.DecisionsRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("decode: %v", err)
		}
		reqs = append(reqs, req)
		res := api.DecisionsResponse{Kind: req.Kind, Action: req.Action, Total: len(req.CaseIDs)}
		for _, id := range req.CaseIDs {
			o := api.DecisionOutcome{CaseID: id, OK: true, Status: 200, Message: "enrolment approved"}
			if id == "bbbbbbbbbb" {
				o = api.DecisionOutcome{CaseID: id, Status: 422, Message: "package P is full: 16 of 16 seats taken",
					Code: "refusal.package-full", Words: "paket P penuh: 16 dari 16 kursi terisi"}
			}
			res.Outcomes = append(res.Outcomes, o)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(res)
	}))
	t.Cleanup(srv.Close)

	root := newRoot()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs([]string{"approve", "enrolment", "cccccccccc", "aaaaaaaaaa", "bbbbbbbbbb", "--reason", "sponsored by the regency",
		"--server", srv.URL, "--token", "kpt_x"})
	cmd, err := root.ExecuteC()
	if code := exitCode(&errOut, cmd, err); code != exitRefused {
		t.Fatalf("exit %d, want %d (%v)\n%s", code, exitRefused, err, errOut.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want one bulk request", len(reqs))
	}
	if r := reqs[0]; !slices.Equal(r.CaseIDs, []string{"cccccccccc", "aaaaaaaaaa", "bbbbbbbbbb"}) || !r.OverrideRules || r.Reason != "sponsored by the regency" {
		t.Errorf("request %+v", r)
	}
	// The refused case in the words the server gave in the command line's language (Indonesian).
	if !strings.Contains(errOut.String(), "ditolak: bbbbbbbbbb: paket P penuh: 16 dari 16 kursi terisi") {
		t.Errorf("stderr:\n%s", errOut.String())
	}
	if o := out.String(); !strings.Contains(o, "cccccccccc: enrolment approved") || !strings.Contains(o, "aaaaaaaaaa: enrolment approved") || strings.Contains(o, "bbbbbbbbbb") {
		t.Errorf("stdout:\n%s", o)
	}
}
