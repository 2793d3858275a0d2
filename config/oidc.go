package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// AuthConfig is how people log in to the pages besides their password.
type AuthConfig struct {
	OIDC OIDCConfig `mapstructure:"oidc" yaml:"oidc"`
}

// OIDCCallbackPath is where the provider sends the person back (auth.oidc.redirect_url's path).
const OIDCCallbackPath = "/login/sso/callback"

// OIDCConfig turns on single sign-on with an OpenID Connect provider (authorization code flow
// with PKCE). Off while Issuer is empty.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL (its discovery document is read at start).
	Issuer string `mapstructure:"issuer" yaml:"issuer"`
	// ClientID and ClientSecret are kompeten's registration at the provider; ID tokens must be
	// issued to ClientID (their audience).
	ClientID     string `mapstructure:"client_id" yaml:"client_id"`
	ClientSecret string `mapstructure:"client_secret" yaml:"client_secret"`
	// RedirectURL is the callback registered at the provider: kompeten's own address plus
	// /login/sso/callback.
	RedirectURL string `mapstructure:"redirect_url" yaml:"redirect_url"`
	// RoleClaim is the ID token claim (a string or a list of strings, e.g. groups) whose value
	// Roles maps to a kompeten role.
	RoleClaim string `mapstructure:"role_claim" yaml:"role_claim"`
	// ScopeClaim is the claim that lists the centre or LSP codes of a scoped role (a list, or
	// one string of codes separated by commas or spaces).
	ScopeClaim string `mapstructure:"scope_claim" yaml:"scope_claim"`
	// UsernameClaim names a new account (lower-cased); the email's local part when it is absent.
	UsernameClaim string `mapstructure:"username_claim" yaml:"username_claim"`
	// Roles is the allow-list: "claim value=role" entries. A login whose role claim has no
	// entry here is refused.
	Roles []string `mapstructure:"roles" yaml:"roles"`
}

// Enabled says whether single sign-on is configured.
func (o OIDCConfig) Enabled() bool { return o.Issuer != "" }

// RoleMap parses Roles: claim value to role. Each role must be one an account can have.
func (o OIDCConfig) RoleMap() (map[string]vocab.Role, error) {
	out := map[string]vocab.Role{}
	for _, e := range o.Roles {
		value, role, ok := strings.Cut(e, "=")
		value, role = strings.TrimSpace(value), strings.TrimSpace(role)
		if !ok || value == "" || role == "" {
			return nil, fmt.Errorf("entry %q must be CLAIM_VALUE=ROLE", e)
		}
		if !slices.Contains(accountRoles, vocab.Role(role)) {
			return nil, fmt.Errorf("entry %q: role %q is not one of %s", e, role, strings.Join(vocab.Strings(accountRoles), ", "))
		}
		if prev, dup := out[value]; dup && prev != vocab.Role(role) {
			return nil, fmt.Errorf("claim value %q maps to both %s and %s", value, prev, role)
		}
		out[value] = vocab.Role(role)
	}
	return out, nil
}

// accountRoles are the roles a person's account may have (auth.TokenRoles; auth imports
// config's dependants, so the list is repeated here and compared in a test).
var accountRoles = []vocab.Role{vocab.RoleCentreAdmin, vocab.RoleLSPManager, vocab.RoleInsurerLiaison,
	vocab.RoleCoordinator, vocab.RoleOperator, vocab.RoleViewer}

// validate reports auth.oidc's problems; nothing when single sign-on is off.
func (o OIDCConfig) validate(bad func(key, format string, args ...any)) {
	if !o.Enabled() {
		return
	}
	if u, err := url.Parse(o.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		bad("auth.oidc.issuer", "must be the provider's http(s) issuer URL, got %q", o.Issuer)
	}
	if o.ClientID == "" {
		bad("auth.oidc.client_id", "must be set when auth.oidc.issuer is")
	}
	if o.ClientSecret == "" {
		bad("auth.oidc.client_secret", "must be set when auth.oidc.issuer is")
	}
	if u, err := url.Parse(o.RedirectURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != OIDCCallbackPath {
		bad("auth.oidc.redirect_url", "must be kompeten's own address with the path %s (e.g. https://kompeten.example.id%s), got %q", OIDCCallbackPath, OIDCCallbackPath, o.RedirectURL)
	}
	if o.RoleClaim == "" {
		bad("auth.oidc.role_claim", "must name the claim that carries the role")
	}
	if o.ScopeClaim == "" {
		bad("auth.oidc.scope_claim", "must name the claim that carries the centre or LSP codes")
	}
	if o.UsernameClaim == "" {
		bad("auth.oidc.username_claim", "must name the claim that names a new account")
	}
	m, err := o.RoleMap()
	if err != nil {
		bad("auth.oidc.roles", "%v", err)
	} else if len(m) == 0 {
		bad("auth.oidc.roles", "must map at least one value of the role claim to a role (e.g. [kompeten-koordinator=coordinator])")
	}
}
