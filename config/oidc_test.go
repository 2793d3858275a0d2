package config

import (
	"strings"
	"testing"
)

// Single sign-on is off by default and, when on, every missing or wrong key is named.
func TestOIDCConfigValidation(t *testing.T) {
	c := Default()
	if c.Auth.OIDC.Enabled() {
		t.Fatal("single sign-on must be off by default")
	}
	c.Auth.OIDC.Issuer = "sso.example.id"
	c.Auth.OIDC.RedirectURL = "https://kompeten.example.id/callback"
	c.Auth.OIDC.Roles = []string{"admins=root", "staff"}
	err := c.Validate()
	if err == nil {
		t.Fatal("an incomplete auth.oidc passed validation")
	}
	for _, key := range []string{"auth.oidc.issuer", "auth.oidc.client_id", "auth.oidc.client_secret", "auth.oidc.redirect_url", "auth.oidc.roles"} {
		if !strings.Contains(err.Error(), key+":") {
			t.Errorf("no complaint about %s in:\n%v", key, err)
		}
	}
	c.Auth.OIDC = OIDCConfig{Issuer: "https://sso.example.id/realms/k", ClientID: "kompeten", ClientSecret: "s",
		RedirectURL: "https://kompeten.example.id" + OIDCCallbackPath, RoleClaim: "groups", ScopeClaim: "scope_codes",
		UsernameClaim: "preferred_username", Roles: []string{"koordinator=coordinator", " admin-blk = centre-admin "}}
	if err := c.Validate(); err != nil {
		t.Fatalf("a complete auth.oidc: %v", err)
	}
	m, _ := c.Auth.OIDC.RoleMap()
	if m["admin-blk"] != "centre-admin" || m["koordinator"] != "coordinator" || len(m) != 2 {
		t.Fatalf("role map = %v", m)
	}
	c.Auth.OIDC.Roles = []string{"x=viewer", "x=coordinator"}
	if _, err := c.Auth.OIDC.RoleMap(); err == nil {
		t.Fatal("one claim value mapped to two roles passed")
	}
	if c.Masked().Auth.OIDC.ClientSecret == "s" {
		t.Fatal("the client secret is printed")
	}
}
