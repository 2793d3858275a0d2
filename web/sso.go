package web

import (
	"context"
	"fmt"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// SSOAccountStore finds, links or creates the accounts of single sign-on logins (*store.Store).
type SSOAccountStore interface {
	SSOLogin(ctx context.Context, id store.SSOIdentity, at time.Time) (store.Account, store.SSOOutcome, error)
	CheckScopeCodes(ctx context.Context, role vocab.Role, scopes []string) error
}

// SSO is single sign-on with an OpenID Connect provider (auth.oidc): the authorization code
// flow with PKCE, state and nonce (web/sso_flow.go). The provider's ID token names the person
// (issuer and subject) and, through two claims, their role (by the allow-list auth.oidc.roles)
// and scope; the session it opens is a password session's, pointing to the person's account.
type SSO struct {
	// Accounts keeps the accounts (*store.Store).
	Accounts SSOAccountStore

	issuer                               string
	oauth                                oauth2.Config
	verifier                             *oidc.IDTokenVerifier
	roles                                map[string]vocab.Role
	roleClaim, scopeClaim, usernameClaim string
}

// NewSSO reads the provider's discovery document (so a wrong issuer stops `serve` at start,
// not the first person to log in) and prepares the flow. The configuration must be valid
// (config.Validate).
func NewSSO(ctx context.Context, c config.OIDCConfig, accounts SSOAccountStore) (*SSO, error) {
	roles, err := c.RoleMap()
	if err != nil {
		return nil, fmt.Errorf("auth.oidc.roles: %w", err)
	}
	dctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(dctx, c.Issuer)
	if err != nil {
		return nil, fmt.Errorf("auth.oidc.issuer: read the provider's discovery document: %w", err)
	}
	return &SSO{
		Accounts: accounts,
		issuer:   c.Issuer,
		oauth: oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, RedirectURL: c.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"}},
		// The verifier checks the signature (the provider's published keys), the issuer, the
		// audience (our client ID: a token issued to another application is refused) and expiry.
		verifier:      p.Verifier(&oidc.Config{ClientID: c.ClientID}),
		roles:         roles,
		roleClaim:     c.RoleClaim,
		scopeClaim:    c.ScopeClaim,
		usernameClaim: c.UsernameClaim,
	}, nil
}

// ssoRefusal is a login the provider vouched for that kompeten still refuses, with the words
// the person reads.
type ssoRefusal struct{ msg string }

func (e ssoRefusal) Error() string { return pickPair(e.msg, i18n.EN) }

// identity maps a verified ID token's claims onto an account's terms. An unknown role (no
// entry in the allow-list), several roles, or a scoped role without scope is an ssoRefusal.
func (s *SSO) identity(subject string, claims map[string]any) (store.SSOIdentity, error) {
	values := claimStrings(claims[s.roleClaim])
	var roles []vocab.Role
	for _, v := range values {
		if r, ok := s.roles[v]; ok && !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	switch {
	case len(roles) == 0:
		shown := strings.Join(values, ", ")
		if shown == "" {
			shown = "—"
		}
		return store.SSOIdentity{}, ssoRefusal{both(fmt.Sprintf("Peran Anda dari penyedia identitas (%s: %s) tidak terdaftar di kompeten; minta koordinator menambahkannya", s.roleClaim, shown), fmt.Sprintf("Your role from the identity provider (%s: %s) is not one kompeten knows; ask your coordinator to add it", s.roleClaim, shown))}
	case len(roles) > 1:
		sort.Slice(roles, func(i, j int) bool { return roles[i] < roles[j] })
		names := strings.Join(vocab.Strings(roles), ", ")
		return store.SSOIdentity{}, ssoRefusal{both(fmt.Sprintf("Penyedia identitas memberi Anda beberapa peran (%s); kompeten butuh tepat satu", names), fmt.Sprintf("The identity provider gives you several roles (%s); kompeten needs exactly one", names))}
	}
	id := store.SSOIdentity{Issuer: s.issuer, Subject: subject, Role: roles[0], Scopes: []string{}}
	if id.Role == vocab.RoleCentreAdmin || id.Role == vocab.RoleLSPManager {
		// Only scoped roles take the scope claim: a network-wide role's would suggest a limit
		// that is not enforced.
		for _, v := range claimStrings(claims[s.scopeClaim]) {
			for _, code := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
				if code = strings.ToUpper(code); !slices.Contains(id.Scopes, code) {
					id.Scopes = append(id.Scopes, code)
				}
			}
		}
		if len(id.Scopes) == 0 {
			return store.SSOIdentity{}, ssoRefusal{both(fmt.Sprintf("Peran %s butuh kode pusat atau LSP di klaim %s, tetapi penyedia identitas tidak memberikannya", id.Role, s.scopeClaim), fmt.Sprintf("The role %s needs centre or LSP codes in the claim %s, and the identity provider sent none", id.Role, s.scopeClaim))}
		}
		sort.Strings(id.Scopes)
	}
	id.Email, _ = claims["email"].(string)
	id.EmailVerified, _ = claims["email_verified"].(bool)
	id.Username = usernameFrom(claimString(claims[s.usernameClaim]), id.Email)
	if id.Username == "" {
		return store.SSOIdentity{}, ssoRefusal{both(fmt.Sprintf("Penyedia identitas tidak memberi nama pengguna (%s) atau email", s.usernameClaim), fmt.Sprintf("The identity provider sent no username (%s) or email", s.usernameClaim))}
	}
	return id, nil
}

// claimStrings reads a claim that is one string or a list of strings.
func claimStrings(v any) []string {
	switch v := v.(type) {
	case string:
		if v != "" {
			return []string{v}
		}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func claimString(v any) string {
	s, _ := v.(string)
	return s
}

var usernameBad = regexp.MustCompile(`[^a-z0-9._-]+`)

// usernameFrom makes an account's username (the actor id in case logs) from the provider's
// username, else the email's local part: lower case, other characters as '-', at most 63.
func usernameFrom(name, email string) string {
	if name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	name, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(name)), "@")
	name = strings.Trim(usernameBad.ReplaceAllString(name, "-"), "-._")
	if len(name) > 63 {
		name = name[:63]
	}
	if len(name) < 2 {
		return ""
	}
	return name
}
