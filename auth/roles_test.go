package auth

import (
	"slices"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Every token role is either scoped (it needs codes, and MayActOn holds it to them) or acts on
// the whole network (it takes no codes): a role added to TokenRoles must be placed on one side.
func TestEveryTokenRoleIsScopedOrNetworkWide(t *testing.T) {
	for _, r := range TokenRoles {
		if !slices.Contains(vocab.Roles, r) {
			t.Errorf("token role %q is not in the vocabulary", r)
		}
		scoped := CheckRoleScopes(r, nil) != nil
		if scoped == (CheckRoleScopes(r, []string{"X"}) != nil) {
			t.Errorf("%s: takes scopes and no scopes alike", r)
		}
		limited := !(Identity{Role: r, Scopes: []string{"X"}}).MayActOn("BLK-OTHER", "LSP-OTHER")
		if scoped != limited {
			t.Errorf("%s: needs scopes = %v, but MayActOn limits it = %v", r, scoped, limited)
		}
	}
	for _, r := range []vocab.Role{vocab.RoleAssessor, vocab.RoleSystem} {
		if err := CheckRoleScopes(r, nil); err == nil || !strings.Contains(err.Error(), "is not one of") {
			t.Errorf("%s is not a token role, yet a token may carry it: %v", r, err)
		}
	}
}
