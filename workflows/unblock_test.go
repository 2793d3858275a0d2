package workflows_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Every code the journey marks a case stuck with is listed in StuckCodes and has someone other
// than the generic operator who can act on it; a new code added to a step without a rule here
// fails this test.
func TestEveryStuckCodeHasSomeoneToUnblockIt(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	// deadline{sla, "code", …} and markStuck(ctx, "code", …)
	re := regexp.MustCompile(`(?:deadline\{[^,]+,\s*|markStuck\(ctx,\s*)"([a-z-]+)"`)
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
	}
	if len(used) < 5 {
		t.Fatalf("found only %v in the workflow source; has the marking changed shape?", used)
	}
	for code := range used {
		if !slices.Contains(wf.StuckCodes, code) {
			t.Errorf("stuck code %q is used by the journey but not listed in StuckCodes", code)
		}
	}
	for _, code := range wf.StuckCodes {
		for _, waiting := range []string{wf.WaitingCentreAdmin, wf.WaitingLSPManager, wf.WaitingBPJS, wf.WaitingLSP, wf.WaitingAgreement, wf.WaitingCorrection} {
			u := wf.WhoUnblocks(code, waiting, "BLK-SBY", "LSP-BLK-SBY")
			if u.Role == wf.RoleOperator || u.Action == "" {
				t.Errorf("%s waiting on %s: nobody specific can unblock it (%+v)", code, waiting, u)
			}
		}
	}
}

func TestWhoUnblocks(t *testing.T) {
	cases := []struct {
		code, waiting string
		want          wf.Unblocker
	}{
		{wf.StuckApprovalOverdue, wf.WaitingCentreAdmin, wf.Unblocker{Role: wf.RoleCentreAdmin, Scope: "BLK-SBY"}},
		{wf.StuckApprovalOverdue, wf.WaitingLSPManager, wf.Unblocker{Role: wf.RoleLSPManager, Scope: "LSP-X"}},
		{wf.StuckPartnerFailing, wf.WaitingBPJS, wf.Unblocker{Role: wf.RoleInsurerLiaison}},
		{wf.StuckPartnerFailing, wf.WaitingLSP, wf.Unblocker{Role: wf.RoleLSPManager, Scope: "LSP-X"}},
		{wf.StuckCorrectionOverdue, wf.WaitingCorrection, wf.Unblocker{Role: wf.RoleCentreAdmin, Scope: "BLK-SBY"}},
		{wf.StuckResultOverdue, wf.WaitingLSP, wf.Unblocker{Role: wf.RoleAssessor, Scope: "LSP-X"}},
		{wf.StuckNoAgreement, wf.WaitingAgreement, wf.Unblocker{Role: wf.RoleCoordinator}},
		{"something-new", "", wf.Unblocker{Role: wf.RoleOperator}},
	}
	for _, tc := range cases {
		got := wf.WhoUnblocks(tc.code, tc.waiting, "BLK-SBY", "LSP-X")
		if got.Role != tc.want.Role || got.Scope != tc.want.Scope {
			t.Errorf("%s/%s: got %+v, want role %s scope %q", tc.code, tc.waiting, got, tc.want.Role, tc.want.Scope)
		}
	}
}
