package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// TestCaseListSaysHowManyOfHowMany: `case list` says "N of M shown" (on stderr, so -o ids stays
// clean), sends the name in the body, and --all pages through everything.
func TestCaseListSaysHowManyOfHowMany(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("KOMPETEN_TOKEN", "")
	const total = 2500
	var bodies []api.SearchRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/cases/search" || r.URL.RawQuery != "" {
			http.Error(w, "unexpected "+r.Method+" "+r.URL.String(), http.StatusBadRequest)
			return
		}
		var req api.SearchRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		bodies = append(bodies, req)
		page := api.CasePage{Total: total, Limit: req.Limit, Offset: req.Offset, Cases: []store.Case{}}
		for i := req.Offset; i < min(req.Offset+req.Limit, total); i++ {
			page.Cases = append(page.Cases, store.Case{CaseID: fmt.Sprintf("c%09d", i), Person: &store.Person{Name: "Siti"}})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(page)
	}))
	defer srv.Close()

	list := func(args ...string) (string, string) {
		t.Helper()
		root := newRoot()
		var stdout, stderr bytes.Buffer
		root.SetOut(&stdout)
		root.SetErr(&stderr)
		root.SetArgs(append([]string{"case", "list", "--server", srv.URL, "--token", "kpt_x"}, args...))
		if err := root.Execute(); err != nil {
			t.Fatalf("case list %v: %v\n%s", args, err, stderr.String())
		}
		return stdout.String(), stderr.String()
	}

	out, errOut := list("--name", "siti nur")
	if !strings.Contains(errOut, "100 of 2500 shown (cases 1-100; the next page: --offset 100, or --all)") {
		t.Fatalf("stderr: %q", errOut)
	}
	if !strings.Contains(out, "NAME") || !strings.Contains(out, "Siti") {
		t.Fatalf("the table does not name people:\n%s", out)
	}
	if bodies[0].Name != "siti nur" {
		t.Fatalf("the name was not sent in the body: %+v", bodies[0])
	}

	bodies = nil
	out, errOut = list("--all", "-o", "ids")
	if n := strings.Count(out, "\n"); n != total || !strings.Contains(errOut, "2500 of 2500 shown\n") {
		t.Fatalf("--all gave %d ids, stderr %q", n, errOut)
	}
	if len(bodies) != 3 {
		t.Fatalf("--all asked %d pages, want 3 of 1000", len(bodies))
	}

	_, errOut = list("--offset", "2450")
	if !strings.Contains(errOut, "50 of 2500 shown\n") {
		t.Fatalf("the last page: %q", errOut)
	}
}
