package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// `kompeten mou terminate` of an agreement live cases depend on is refused with exit code 2
// and lists every one of them (the server's refusal names the first); with --force the
// request says so.
func TestTerminateListsDependentCases(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("KOMPETEN_TOKEN", "kpt_test")
	var forced []bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			var req api.MoUTerminateRequest
			_ = json.NewDecoder(r.Body).Decode(&req)
			forced = append(forced, req.Force)
			if !req.Force {
				w.WriteHeader(http.StatusConflict)
				_ = json.NewEncoder(w).Encode(api.ErrorBody{Error: "agreement MOU/X has 7 live case(s) depending on it: aaaaaaaaa2 (BLK-SBY, training) and 6 more"})
				return
			}
			_ = json.NewEncoder(w).Encode(api.MoUActionResponse{Number: "MOU/X", Message: "terminated"})
			return
		}
		d := starter.AgreementDetail{AgreementView: starter.AgreementView{DependentCases: 7}}
		for _, id := range []string{"aaaaaaaaa2", "aaaaaaaaa3", "aaaaaaaaa4", "aaaaaaaaa5", "aaaaaaaaa6", "aaaaaaaaa7", "aaaaaaaab2"} {
			d.Cases = append(d.Cases, store.AgreementCase{CaseID: id, PackageCode: "SBY-LAS-1", CentreCode: "BLK-SBY", Stage: vocab.StageTraining})
		}
		_ = json.NewEncoder(w).Encode(d)
	}))
	defer srv.Close()
	root := newRoot()
	var stdout, errOut bytes.Buffer
	root.SetOut(&stdout)
	root.SetErr(&errOut)
	root.SetArgs([]string{"mou", "terminate", "MOU/X", "--reason", "licence revoked", "--server", srv.URL})
	code := 0
	if cmd, err := root.ExecuteC(); err != nil {
		code = exitCode(&errOut, cmd, err)
	}
	if code != exitRefused || !strings.Contains(errOut.String(), "ditolak: agreement MOU/X has 7 live case(s)") {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"7 live case(s) depend on MOU/X", "aaaaaaaab2", "terminate with --force"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the listing does not say %q:\n%s", want, stdout.String())
		}
	}
	code, stderr := run(t, "mou", "terminate", "MOU/X", "--reason", "licence revoked", "--force", "--server", srv.URL)
	if code != 0 || len(forced) != 2 || forced[0] || !forced[1] {
		t.Fatalf("with --force: exit %d %s; force sent %v", code, stderr, forced)
	}
}
