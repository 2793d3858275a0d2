package auth

import (
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

func TestScopesLimitOnlyScopedRoles(t *testing.T) {
	admin := Identity{Name: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}
	manager := Identity{Name: "budi", Role: vocab.RoleLSPManager, Scopes: []string{"LSP-BLK-SBY"}}
	if !admin.MayActOn("BLK-SBY", "LSP-X") || admin.MayActOn("BLK-PAS", "LSP-BLK-SBY") {
		t.Fatal("a centre admin acts on its centres only")
	}
	if !manager.MayActOn("BLK-PAS", "LSP-BLK-SBY") || manager.MayActOn("BLK-SBY", "LSP-BLK-MLG") {
		t.Fatal("an LSP manager acts on its LSPs only")
	}
	if !(Identity{Role: vocab.RoleCoordinator}).MayActOn("BLK-PAS", "LSP-BLK-MLG") {
		t.Fatal("a coordinator acts on the whole network")
	}
	for _, c := range []struct {
		role   vocab.Role
		scopes []string
		err    string
	}{
		{"centre-admin", nil, "needs --scope"},
		{"viewer", []string{"BLK-SBY"}, "takes no --scope"},
		{"root", nil, "is not one of"},
	} {
		if err := CheckRoleScopes(c.role, c.scopes); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s %v: %v, want %q", c.role, c.scopes, err, c.err)
		}
	}
	if err := CheckRoleScopes(vocab.RoleLSPManager, []string{"LSP-BLK-SBY"}); err != nil {
		t.Fatal(err)
	}
	a, ha, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := NewToken()
	if a == b || !strings.HasPrefix(a, "kpt_") || string(HashToken(a+"\n")) != string(ha) {
		t.Fatal("tokens are random, prefixed, and hash the same with surrounding space")
	}
}
