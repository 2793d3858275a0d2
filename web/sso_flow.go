package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// The single sign-on flow's cookie: it carries the state, nonce and PKCE verifier of one login
// from the redirect to the provider to the callback, authenticated with the session key, for
// ssoFlowTTL. SameSite=Lax, because the provider sends the browser back with a top-level GET.
const (
	ssoCookie  = "kompeten_sso"
	ssoPath    = "/login/sso"
	ssoFlowTTL = 10 * time.Minute
)

// ssoFlow is one login in progress.
type ssoFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
	Expires  int64  `json:"e"`
}

func randomString() string {
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// ssoStart sends the person to the provider with a fresh state, nonce and PKCE challenge.
func (s *Sessions) ssoStart(w http.ResponseWriter, r *http.Request) {
	f := ssoFlow{State: randomString(), Nonce: randomString(), Verifier: oauth2.GenerateVerifier(),
		Next: safeNext(r.URL.Query().Get("next")), Expires: s.now().Add(ssoFlowTTL).Unix()}
	b, _ := json.Marshal(f)
	payload := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: payload + "." + s.mac("sso\x00"+payload), Path: ssoPath,
		MaxAge: int(ssoFlowTTL.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, s.SSO.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), http.StatusFound)
}

// readFlow returns the login in progress of the request's flow cookie, if it is ours and fresh.
func (s *Sessions) readFlow(r *http.Request) (ssoFlow, bool) {
	var f ssoFlow
	c, err := r.Cookie(ssoCookie)
	if err != nil || len(c.Value) > 1024 {
		return f, false
	}
	payload, mac, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(s.mac("sso\x00"+payload))) {
		return f, false
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || json.Unmarshal(b, &f) != nil || s.now().Unix() > f.Expires || f.State == "" {
		return ssoFlow{}, false
	}
	return f, true
}

// ssoCallback ends a login at the provider: the state must be the one this browser was sent
// with, the code is exchanged with the PKCE verifier, the ID token must be signed by the
// provider for our client ID and carry our nonce; then the claims find the account (linked or
// created at the first login) and a session opens exactly as a password login's.
func (s *Sessions) ssoCallback(w http.ResponseWriter, r *http.Request) {
	// The flow is used once, whatever happens next.
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: "", Path: ssoPath, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	q := r.URL.Query()
	f, ok := s.readFlow(r)
	if !ok || !hmac.Equal([]byte(q.Get("state")), []byte(f.State)) {
		s.renderLogin(w, r, both("Login SSO kedaluwarsa atau tidak sah; coba lagi", "The single sign-on login expired or is not valid; try again"), http.StatusBadRequest)
		return
	}
	if e := q.Get("error"); e != "" {
		s.renderLogin(w, r, both(fmt.Sprintf("Penyedia identitas menolak login (%.80s)", e), fmt.Sprintf("The identity provider refused the login (%.80s)", e)), http.StatusUnauthorized)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	sso := s.SSO
	tok, err := sso.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		s.logger().Warn("sso: code exchange", "error", err)
		s.renderLogin(w, r, both("Penyedia identitas tidak menerima login ini; coba lagi", "The identity provider did not accept this login; try again"), http.StatusUnauthorized)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := sso.verifier.Verify(ctx, raw)
	if err == nil && !hmac.Equal([]byte(idt.Nonce), []byte(f.Nonce)) {
		err = errors.New("nonce differs from the one sent")
	}
	if err != nil {
		s.logger().Warn("sso: ID token refused", "error", err)
		s.renderLogin(w, r, both("Token dari penyedia identitas tidak sah untuk kompeten", "The identity provider's token is not valid for kompeten"), http.StatusUnauthorized)
		return
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		s.renderLogin(w, r, both("Token dari penyedia identitas tidak sah untuk kompeten", "The identity provider's token is not valid for kompeten"), http.StatusUnauthorized)
		return
	}
	s.ssoLogin(w, r, idt.Subject, claims, f.Next)
}

// ssoLogin maps a verified identity onto its account and opens the session.
func (s *Sessions) ssoLogin(w http.ResponseWriter, r *http.Request, subject string, claims map[string]any, next string) {
	ctx, sso := r.Context(), s.SSO
	id, err := sso.identity(subject, claims)
	var refusal ssoRefusal
	if errors.As(err, &refusal) {
		s.logger().Info("sso: login refused", "reason", "claims")
		s.renderLogin(w, r, refusal.msg, http.StatusForbidden)
		return
	}
	if err := sso.Accounts.CheckScopeCodes(ctx, id.Role, id.Scopes); errors.Is(err, store.ErrInvalid) {
		s.renderLogin(w, r, both(fmt.Sprintf("Kode lingkup dari penyedia identitas tidak dikenal: %v", err), fmt.Sprintf("The identity provider's scope codes are unknown: %v", err)), http.StatusForbidden)
		return
	} else if err != nil {
		s.unavailable(w, r, "sso: check scope", err)
		return
	}
	acct, outcome, err := sso.Accounts.SSOLogin(ctx, id, s.now())
	switch {
	case errors.Is(err, store.ErrSSOConflict), errors.Is(err, store.ErrInvalid):
		s.logger().Warn("sso: no account for the identity", "error", err)
		s.renderLogin(w, r, both("Nama pengguna atau email dari penyedia identitas sudah dipakai akun lain; minta koordinator", "The username or email from the identity provider belongs to another account; ask your coordinator"), http.StatusConflict)
		return
	case err != nil:
		s.unavailable(w, r, "sso: account", err)
		return
	}
	if acct.DisabledAt != nil {
		s.logger().Info("sso: login refused", "account_id", acct.ID, "reason", "disabled")
		s.renderLogin(w, r, both("Akun ini dinonaktifkan; hubungi koordinator", "This account is disabled; ask your coordinator"), http.StatusForbidden)
		return
	}
	s.logger().Info("sso login", "account_id", acct.ID, "role", acct.Role, "account", string(outcome))
	if err := s.startSession(w, r, store.WebSession{AccountID: acct.ID}); err != nil {
		s.unavailable(w, r, "sso: start session", err)
		return
	}
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

// ssoRoutes serves the single sign-on flow when it is configured.
func (s *Sessions) ssoRoutes(mux *http.ServeMux) {
	if s.SSO == nil {
		return
	}
	mux.HandleFunc("GET "+ssoPath, s.ssoStart)
	mux.HandleFunc("GET "+config.OIDCCallbackPath, s.ssoCallback)
}
