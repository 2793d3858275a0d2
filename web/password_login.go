package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/internal/clientip"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// AccountStore keeps people's accounts, their one-time links and the failed-login counts
// (*store.Store).
type AccountStore interface {
	AccountByID(ctx context.Context, id int64) (store.Account, error)
	AccountByLogin(ctx context.Context, login string) (store.Account, error)
	CheckLogin(ctx context.Context, lim store.LoginLimits, accountKey, addrKey string, at time.Time) (store.LoginBlock, error)
	RecordLoginFailure(ctx context.Context, at time.Time, keys ...string) error
	ClearLoginFailures(ctx context.Context, key string) error
	PasswordLink(ctx context.Context, tokenHash []byte, at time.Time) (store.Account, error)
	UsePasswordLink(ctx context.Context, tokenHash []byte, passwordHash string, at time.Time) (store.Account, error)
}

// AccountIdentity is the identity an account acts with: its username (the actor id in the
// case log), its role and its scope, exactly as a token's.
func AccountIdentity(a store.Account) auth.Identity {
	return auth.Identity{Name: a.Username, Role: a.Role, Scopes: a.Scopes}
}

// accountIdentity is the identity of a password session's account, looked up on every request:
// a disabled or deleted account has no live session (errNoSession).
func (s *Sessions) accountIdentity(ctx context.Context, id int64) (auth.Identity, *prefs, error) {
	if s.Accounts == nil {
		return auth.Identity{}, nil, errNoSession
	}
	a, err := s.Accounts.AccountByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return auth.Identity{}, nil, errNoSession
	}
	if err != nil {
		return auth.Identity{}, nil, fmt.Errorf("session's account: %w", err)
	}
	if a.DisabledAt != nil {
		return auth.Identity{}, nil, errNoSession
	}
	p := accountPrefs(a.Lang, a.TimeZone)
	return AccountIdentity(a), &p, nil
}

func (s *Sessions) limits() store.LoginLimits {
	if s.Limits.Window > 0 {
		return s.Limits
	}
	return store.DefaultLoginLimits
}

// passwordLogin checks a username (or email) and password, throttled per account and per
// client address, and starts a session that points to the account. Every wrong answer reads
// the same and costs the same argon2id work, so the form does not tell which names exist.
func (s *Sessions) passwordLogin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	login, password := strings.TrimSpace(r.PostFormValue("login")), r.PostFormValue("password")
	if login == "" || password == "" || len(password) > 4*auth.MaxPasswordLen {
		s.renderLogin(w, r, both("Isi nama pengguna dan kata sandi", "Give your username and password"), http.StatusBadRequest)
		return
	}
	now := s.now()
	acct, err := s.Accounts.AccountByLogin(ctx, login)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.unavailable(w, r, "login: account lookup", err)
		return
	}
	found := err == nil
	accountKey := "account:" + fmt.Sprint(acct.ID)
	if !found {
		sum := sha256.Sum256([]byte(strings.ToLower(login)))
		accountKey = "login:" + hex.EncodeToString(sum[:12])
	}
	addrKey := "addr:" + clientip.Of(r)
	block, err := s.Accounts.CheckLogin(ctx, s.limits(), accountKey, addrKey, now)
	if err != nil {
		s.unavailable(w, r, "login: throttle", err)
		return
	}
	if !block.Until.IsZero() {
		mins := int(math.Ceil(block.Until.Sub(now).Minutes()))
		what, whatID := "this account", "akun ini"
		if block.Key == addrKey {
			what, whatID = "this address", "alamat ini"
		}
		w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(block.Until.Sub(now).Seconds()))))
		s.renderLogin(w, r, both(fmt.Sprintf("Terlalu banyak percobaan masuk yang gagal untuk %s; coba lagi dalam %d menit", whatID, mins), fmt.Sprintf("Too many failed logins for %s; try again in %d min", what, mins)), http.StatusTooManyRequests)
		return
	}
	var verr error
	if found && acct.HasPassword {
		verr = auth.VerifyPassword(acct.PasswordHash, password)
	} else {
		auth.SpendPasswordCheck(password)
		verr = auth.ErrWrongPassword
	}
	if verr != nil && !errors.Is(verr, auth.ErrWrongPassword) {
		s.unavailable(w, r, "login: stored password hash", verr)
		return
	}
	if verr != nil {
		if err := s.Accounts.RecordLoginFailure(ctx, now, accountKey, addrKey); err != nil {
			s.unavailable(w, r, "login: record failure", err)
			return
		}
		s.renderLogin(w, r, both("Nama pengguna atau kata sandi salah", "Wrong username or password"), http.StatusUnauthorized)
		return
	}
	if acct.DisabledAt != nil {
		s.renderLogin(w, r, both("Akun ini dinonaktifkan; hubungi koordinator", "This account is disabled; ask your coordinator"), http.StatusForbidden)
		return
	}
	if err := s.Accounts.ClearLoginFailures(ctx, accountKey); err != nil {
		s.unavailable(w, r, "login: clear failures", err)
		return
	}
	if err := s.startSession(w, r, store.WebSession{AccountID: acct.ID}); err != nil {
		s.unavailable(w, r, "login: start session", err)
		return
	}
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
}

// unavailable logs a failing store during login and tells the person to try again.
func (s *Sessions) unavailable(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.logger().Error(what, "error", err)
	s.renderLogin(w, r, both("Login tidak dapat diperiksa saat ini; coba lagi", "The login could not be checked just now; try again"), http.StatusServiceUnavailable)
}

var setPasswordTmpl = template.Must(template.New("password").Funcs(signedOutFuncs).Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{t .Lang "Atur kata sandi" "Set your password"}} · kompeten</title><link rel="stylesheet" href="/assets/style.css"></head>
<body><main><h1>{{t .Lang "Atur kata sandi" "Set your password"}}</h1>
{{if .Error}}<p class="flash error" role="alert">{{.Error}}</p>{{end}}
{{if .Username}}<form method="post">
<input type="hidden" name="csrf" value="{{.CSRF}}">
<p>{{t .Lang "Akun" "Account"}}: <strong>{{.Username}}</strong></p>
<input type="text" name="username" value="{{.Username}}" autocomplete="username" hidden>
<label>{{t .Lang "Kata sandi baru (minimal" "New password (at least"}} {{.Min}} {{t .Lang "karakter)" "characters)"}} <input type="password" name="password" autocomplete="new-password" minlength="{{.Min}}" required></label>
<label>{{t .Lang "Ulangi kata sandi" "Repeat the password"}} <input type="password" name="confirm" autocomplete="new-password" minlength="{{.Min}}" required></label>
<button type="submit">{{t .Lang "Simpan dan masuk" "Save and log in"}}</button>
</form>{{else}}<p><a href="/login">{{t .Lang "Masuk" "Log in"}}</a></p>{{end}}</main><footer>` + langSwitch + `</footer></body></html>`))

// linkGone is what a used, expired or unknown link answers: the same for all three.
var linkGone = both("Tautan ini sudah dipakai, kedaluwarsa, atau tidak dikenal; minta tautan baru dari koordinator", "This link was used, has expired or is unknown; ask your coordinator for a new one")

func (s *Sessions) renderSetPassword(w http.ResponseWriter, r *http.Request, username, msg string, status int) {
	token := ""
	if username != "" {
		token = formCSRF(w, r, r.URL.Path)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	p := prefsOf(r)
	_ = setPasswordTmpl.Execute(w, map[string]any{"CSRF": token, "Username": username, "Error": pickPair(msg, p.Lang), "Min": auth.MinPasswordLen,
		"Lang": p.Lang, "Zone": p.Zone, "Back": r.URL.Path})
}

// setPasswordPage shows the form of a one-time link without using it (a link preview or a
// second look does not spend it).
func (s *Sessions) setPasswordPage(w http.ResponseWriter, r *http.Request) {
	if s.Accounts == nil {
		http.NotFound(w, r)
		return
	}
	a, ok := s.openLink(w, r, auth.HashToken(r.PathValue("token")))
	if !ok {
		return
	}
	s.renderSetPassword(w, r, a.Username, "", http.StatusOK)
}

// openLink finds the account behind a one-time link (by the token's hash) without using the
// link; a link that is gone, or a store that cannot answer, is answered here (false).
func (s *Sessions) openLink(w http.ResponseWriter, r *http.Request, hash []byte) (store.Account, bool) {
	a, err := s.Accounts.PasswordLink(r.Context(), hash, s.now())
	if errors.Is(err, store.ErrNotFound) {
		s.renderSetPassword(w, r, "", linkGone, http.StatusNotFound)
		return a, false
	}
	if err != nil {
		s.logger().Error("password link", "error", err)
		s.renderSetPassword(w, r, "", both("Tautan tidak dapat diperiksa saat ini; coba lagi", "The link could not be checked just now; try again"), http.StatusServiceUnavailable)
		return a, false
	}
	return a, true
}

// setPassword uses a one-time link: it sets the account's password (argon2id) and logs the
// person in. The link works once; a refused password leaves it unused.
func (s *Sessions) setPassword(w http.ResponseWriter, r *http.Request) {
	if s.Accounts == nil {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	ctx := r.Context()
	hash := auth.HashToken(r.PathValue("token"))
	a, ok := s.openLink(w, r, hash)
	if !ok {
		return
	}
	if !formCSRFOK(r) {
		s.renderSetPassword(w, r, a.Username, both("Formulir kedaluwarsa, coba lagi", "The form expired, try again"), http.StatusForbidden)
		return
	}
	password := r.PostFormValue("password")
	if password != r.PostFormValue("confirm") {
		s.renderSetPassword(w, r, a.Username, both("Kedua kata sandi berbeda", "The two passwords differ"), http.StatusBadRequest)
		return
	}
	if err := auth.CheckPassword(password); err != nil {
		s.renderSetPassword(w, r, a.Username, both(fmt.Sprintf("Kata sandi terlalu pendek atau panjang (%d–%d karakter)", auth.MinPasswordLen, auth.MaxPasswordLen), fmt.Sprintf("%v", err)), http.StatusBadRequest)
		return
	}
	if strings.EqualFold(password, a.Username) || (a.Email != "" && strings.EqualFold(password, a.Email)) {
		s.renderSetPassword(w, r, a.Username, both("Kata sandi tidak boleh sama dengan nama pengguna", "The password may not be the username or email"), http.StatusBadRequest)
		return
	}
	ph, err := auth.HashPassword(password)
	if err != nil {
		s.logger().Error("hash password", "error", err)
		s.renderSetPassword(w, r, a.Username, both("Gagal menyimpan kata sandi; coba lagi", "The password could not be saved; try again"), http.StatusInternalServerError)
		return
	}
	used, err := s.Accounts.UsePasswordLink(ctx, hash, ph, s.now())
	if errors.Is(err, store.ErrNotFound) {
		s.renderSetPassword(w, r, "", linkGone, http.StatusNotFound)
		return
	}
	if err != nil {
		s.logger().Error("use password link", "error", err)
		s.renderSetPassword(w, r, a.Username, both("Gagal menyimpan kata sandi; coba lagi", "The password could not be saved; try again"), http.StatusServiceUnavailable)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: "", Path: r.URL.Path, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	if err := s.startSession(w, r, store.WebSession{AccountID: used.ID}); err != nil {
		s.logger().Error("session after setting a password", "error", err)
		http.Redirect(w, r, "/login", http.StatusSeeOther) // the password is set; logging in works
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
