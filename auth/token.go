package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// TokenRoles are the roles a token can carry: people's roles. An assessor records results
// through an LSP manager's token, and a partner system delivers files, not API calls.
var TokenRoles = []vocab.Role{vocab.RoleCentreAdmin, vocab.RoleLSPManager, vocab.RoleInsurerLiaison,
	vocab.RoleCoordinator, vocab.RoleOperator, vocab.RoleViewer}

// tokenPrefix makes a kompeten token recognisable in a leaked file or a secret scanner.
const tokenPrefix = "kpt_"

// Identity is who a request is from: the token's name (the actor id in the case log), its
// role and its scopes (centre codes for a centre-admin, LSP codes for an lsp-manager).
type Identity struct {
	Name   string     `json:"name"`
	Role   vocab.Role `json:"role"`
	Scopes []string   `json:"scopes,omitempty"`
}

// MayActOn says whether the identity's scope covers a case of centre and LSP: a centre-admin
// only its centres, an lsp-manager only its LSPs, every other role the whole network.
func (id Identity) MayActOn(centre, lsp string) bool {
	switch id.Role {
	case vocab.RoleCentreAdmin:
		return slices.Contains(id.Scopes, centre)
	case vocab.RoleLSPManager:
		return slices.Contains(id.Scopes, lsp)
	}
	return true
}

// CheckRoleScopes validates a token's role and scopes before it is created: scoped roles need
// at least one code, the others take none (a scope there would suggest a limit that is not enforced).
func CheckRoleScopes(role vocab.Role, scopes []string) error {
	if !slices.Contains(TokenRoles, role) {
		return fmt.Errorf("role %q is not one of %s", role, strings.Join(vocab.Strings(TokenRoles), ", "))
	}
	scoped := role == vocab.RoleCentreAdmin || role == vocab.RoleLSPManager
	if scoped && len(scopes) == 0 {
		return fmt.Errorf("a %s token needs --scope with the codes it may act on", role)
	}
	if !scoped && len(scopes) > 0 {
		return fmt.Errorf("a %s token acts on the whole network; it takes no --scope", role)
	}
	return nil
}

// NewToken returns a fresh random token (256 bits) and the hash to store.
func NewToken() (token string, hash []byte, err error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, fmt.Errorf("generate token: %w", err)
	}
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	return token, HashToken(token), nil
}

// HashToken is the stored form of a token. Tokens are random 256-bit values, so a plain SHA-256
// cannot be reversed by guessing, and it lets a request be found with one indexed lookup.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return sum[:]
}

// TokenLookup finds the identity of a token hash; ErrUnknownToken-like errors for unknown or
// revoked tokens (the store's ErrNotFound).
type TokenLookup func(ctx context.Context, hash []byte) (Identity, error)
