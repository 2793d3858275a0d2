package workflows_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Every code the journey marks a case stuck with is listed in vocab.Reasons and has someone other
// than the generic operator who can act on it; a new code added to a step without a rule here
// fails this test.
func TestEveryStuckCodeHasSomeoneToUnblockIt(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	// deadline{sla, vocab.StuckX, …} and markStuck(ctx, vocab.StuckX, …); a quoted code there
	// would compile too (an untyped constant), so it is checked against the list.
	re := regexp.MustCompile(`(?:deadline\{[^,]+,\s*|markStuck\(ctx,\s*)(vocab\.Stuck[A-Za-z]+|"[a-z-]+")`)
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
		// A vocab.StuckX constant is listed by construction (the vocab tests check every one).
		if lit, err := strconv.Unquote(code); err == nil && !slices.Contains(vocab.Reasons, vocab.Reason(lit)) {
			t.Errorf("stuck code %q is used by the journey but not listed in vocab.Reasons", code)
		}
	}
	for _, code := range vocab.Reasons {
		for _, waiting := range []vocab.Party{vocab.WaitingCentreAdmin, vocab.WaitingLSPManager, vocab.WaitingBPJS, vocab.WaitingLSP, vocab.WaitingAgreement, vocab.WaitingCorrection} {
			u := wf.WhoUnblocks(code, waiting, "BLK-SBY", "LSP-BLK-SBY")
			if u.Role == vocab.RoleOperator || u.Action == "" {
				t.Errorf("%s waiting on %s: nobody specific can unblock it (%+v)", code, waiting, u)
			}
		}
	}
}

func TestWhoUnblocks(t *testing.T) {
	cases := []struct {
		code    vocab.Reason
		waiting vocab.Party
		want    wf.Unblocker
	}{
		{vocab.StuckApprovalOverdue, vocab.WaitingCentreAdmin, wf.Unblocker{Role: vocab.RoleCentreAdmin, Scope: "BLK-SBY"}},
		{vocab.StuckApprovalOverdue, vocab.WaitingLSPManager, wf.Unblocker{Role: vocab.RoleLSPManager, Scope: "LSP-X"}},
		{vocab.StuckPartnerFailing, vocab.WaitingBPJS, wf.Unblocker{Role: vocab.RoleInsurerLiaison}},
		{vocab.StuckPartnerFailing, vocab.WaitingLSP, wf.Unblocker{Role: vocab.RoleLSPManager, Scope: "LSP-X"}},
		{vocab.StuckCorrectionOverdue, vocab.WaitingCorrection, wf.Unblocker{Role: vocab.RoleCentreAdmin, Scope: "BLK-SBY"}},
		{vocab.StuckResultOverdue, vocab.WaitingLSP, wf.Unblocker{Role: vocab.RoleAssessor, Scope: "LSP-X"}},
		{vocab.StuckNoAgreement, vocab.WaitingAgreement, wf.Unblocker{Role: vocab.RoleCoordinator}},
		{vocab.StuckCertificateRefused, vocab.WaitingLSPManager, wf.Unblocker{Role: vocab.RoleLSPManager, Scope: "LSP-X"}},
		{vocab.StuckAssessmentRefused, vocab.WaitingLSPManager, wf.Unblocker{Role: vocab.RoleLSPManager, Scope: "LSP-X"}},
		{vocab.StuckSchemeUnitsMissing, vocab.WaitingSchemeUnits, wf.Unblocker{Role: vocab.RoleCoordinator}},
		{vocab.StuckKPJConflict, vocab.WaitingBPJS, wf.Unblocker{Role: vocab.RoleInsurerLiaison}},
		{vocab.StuckCertificateConflict, vocab.WaitingLSPManager, wf.Unblocker{Role: vocab.RoleLSPManager, Scope: "LSP-X"}},
		{"something-new", "", wf.Unblocker{Role: vocab.RoleOperator}},
	}
	for _, tc := range cases {
		got := wf.WhoUnblocks(tc.code, tc.waiting, "BLK-SBY", "LSP-X")
		if got.Role != tc.want.Role || got.Scope != tc.want.Scope {
			t.Errorf("%s/%s: got %+v, want role %s scope %q", tc.code, tc.waiting, got, tc.want.Role, tc.want.Scope)
		}
	}
}
