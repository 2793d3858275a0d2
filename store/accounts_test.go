package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Accounts: unique names and emails, login by either, a one-time link that works once and not
// after its expiry, a newer link replacing an older one, disabling ending sessions and links.
func TestAccountLifecycle(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	now := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	a, err := st.CreateAccount(ctx, store.Account{Username: "siti", Email: "Siti@blk.example", Role: "centre-admin", Scopes: []string{"BLK-SBY"}, CreatedBy: "admin"})
	must(t, err)
	if a.HasPassword || a.DisabledAt != nil {
		t.Fatalf("new account %+v", a)
	}
	_, err = st.CreateAccount(ctx, store.Account{Username: "siti", Role: "viewer", CreatedBy: "admin"})
	mustErrIs(t, err, store.ErrExists)
	_, err = st.CreateAccount(ctx, store.Account{Username: "other", Email: "siti@BLK.example", Role: "viewer", CreatedBy: "admin"})
	mustErrIs(t, err, store.ErrExists)
	// Token names and usernames share the case log's actor ids: neither takes the other's.
	_, err = st.CreateToken(ctx, "siti", "viewer", nil, []byte("tok-siti"))
	mustErrIs(t, err, store.ErrExists)
	_, err = st.CreateToken(ctx, "cron", "operator", nil, []byte("tok-cron"))
	must(t, err)
	_, err = st.CreateAccount(ctx, store.Account{Username: "cron", Role: "operator", CreatedBy: "admin"})
	mustErrIs(t, err, store.ErrExists)
	for _, bad := range []store.Account{{Username: "Siti Rahayu", Role: "viewer"}, {Username: "x", Role: "viewer"}, {Username: "root", Role: "superuser"}, {Username: "ok", Email: "nope", Role: "viewer"}} {
		bad.CreatedBy = "admin"
		_, err = st.CreateAccount(ctx, bad)
		mustErrIs(t, err, store.ErrInvalid)
	}
	for _, login := range []string{"siti", " SITI ", "siti@blk.EXAMPLE"} {
		got, err := st.AccountByLogin(ctx, login)
		must(t, err)
		if got.ID != a.ID {
			t.Fatalf("login %q found %+v", login, got)
		}
	}
	_, err = st.AccountByLogin(ctx, "nobody")
	mustErrIs(t, err, store.ErrNotFound)

	// A link works once, sets the hash, and ends the account's sessions.
	_, link1, _ := auth.NewLinkToken()
	must(t, st.IssuePasswordLink(ctx, a.ID, link1, now, now.Add(time.Hour), false))
	_, link2, _ := auth.NewLinkToken()
	must(t, st.IssuePasswordLink(ctx, a.ID, link2, now, now.Add(time.Hour), false))
	_, err = st.PasswordLink(ctx, link1, now)
	mustErrIs(t, err, store.ErrNotFound) // replaced by link2
	got, err := st.PasswordLink(ctx, link2, now.Add(59*time.Minute))
	must(t, err)
	if got.ID != a.ID {
		t.Fatalf("link is for %+v", got)
	}
	_, err = st.UsePasswordLink(ctx, link2, "$argon2id$x", now.Add(time.Hour))
	mustErrIs(t, err, store.ErrNotFound) // expired
	must(t, st.CreateSession(ctx, store.WebSession{IDHash: []byte("s1"), AccountID: a.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, now.Add(-time.Hour)))
	used, err := st.UsePasswordLink(ctx, link2, "$argon2id$first", now.Add(time.Minute))
	must(t, err)
	if !used.HasPassword || used.PasswordHash != "$argon2id$first" {
		t.Fatalf("after the link: %+v", used)
	}
	_, err = st.TouchSession(ctx, []byte("s1"), now.Add(2*time.Minute), now)
	mustErrIs(t, err, store.ErrNotFound) // a new password ends older sessions
	_, err = st.UsePasswordLink(ctx, link2, "$argon2id$second", now.Add(2*time.Minute))
	mustErrIs(t, err, store.ErrNotFound) // used once
	got, err = st.AccountByID(ctx, a.ID)
	must(t, err)
	if got.PasswordHash != "$argon2id$first" {
		t.Fatalf("a used link changed the password: %q", got.PasswordHash)
	}

	// Reset clears the password and ends sessions; a password session points to its account.
	must(t, st.CreateSession(ctx, store.WebSession{IDHash: []byte("s2"), AccountID: a.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, now.Add(-time.Hour)))
	ws, err := st.TouchSession(ctx, []byte("s2"), now.Add(time.Minute), now)
	must(t, err)
	if ws.AccountID != a.ID || ws.TokenHash != nil {
		t.Fatalf("session %+v", ws)
	}
	_, link3, _ := auth.NewLinkToken()
	must(t, st.IssuePasswordLink(ctx, a.ID, link3, now, now.Add(time.Hour), true))
	got, _ = st.AccountByID(ctx, a.ID)
	if got.HasPassword {
		t.Fatal("reset kept the password")
	}
	_, err = st.TouchSession(ctx, []byte("s2"), now.Add(2*time.Minute), now)
	mustErrIs(t, err, store.ErrNotFound)

	// Disabling ends sessions and links, and refuses new links.
	must(t, st.CreateSession(ctx, store.WebSession{IDHash: []byte("s3"), AccountID: a.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, now.Add(-time.Hour)))
	d, err := st.DisableAccount(ctx, a.ID, now)
	must(t, err)
	if d.DisabledAt == nil {
		t.Fatal("not disabled")
	}
	_, err = st.TouchSession(ctx, []byte("s3"), now.Add(time.Minute), now)
	mustErrIs(t, err, store.ErrNotFound)
	_, err = st.PasswordLink(ctx, link3, now)
	mustErrIs(t, err, store.ErrNotFound)
	_, link4, _ := auth.NewLinkToken()
	mustErrIs(t, st.IssuePasswordLink(ctx, a.ID, link4, now, now.Add(time.Hour), false), store.ErrInvalid)
	_, err = st.DisableAccount(ctx, 999, now)
	mustErrIs(t, err, store.ErrNotFound)
	n, err := st.CountAccounts(ctx)
	must(t, err)
	if n != 1 {
		t.Fatalf("count %d", n)
	}
}

// Throttling: the fifth failure on an account blocks it until the oldest counted failure is a
// window old; an address has its own, higher limit; a success clears the account's count.
func TestLoginThrottle(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	lim := store.LoginLimits{PerAccount: 3, PerAddress: 5, Window: 10 * time.Minute}
	t0 := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	for i := range 3 {
		b, err := st.CheckLogin(ctx, lim, "account:1", "addr:10.0.0.1", t0.Add(time.Duration(i)*time.Minute))
		must(t, err)
		if !b.Until.IsZero() {
			t.Fatalf("blocked after %d failures: %+v", i, b)
		}
		must(t, st.RecordLoginFailure(ctx, t0.Add(time.Duration(i)*time.Minute), "account:1", "addr:10.0.0.1"))
	}
	b, err := st.CheckLogin(ctx, lim, "account:1", "addr:10.0.0.1", t0.Add(3*time.Minute))
	must(t, err)
	if b.Key != "account:1" || !b.Until.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("after 3 failures: %+v", b)
	}
	b, _ = st.CheckLogin(ctx, lim, "account:1", "", t0.Add(10*time.Minute))
	if !b.Until.IsZero() {
		t.Fatalf("still blocked once the first failure is a window old: %+v", b)
	}
	// Another account from the same address: the address's limit (5) applies.
	must(t, st.RecordLoginFailure(ctx, t0.Add(4*time.Minute), "account:2", "addr:10.0.0.1"))
	b, _ = st.CheckLogin(ctx, lim, "account:2", "addr:10.0.0.1", t0.Add(5*time.Minute))
	if !b.Until.IsZero() {
		t.Fatalf("4 failures from the address: %+v", b)
	}
	must(t, st.RecordLoginFailure(ctx, t0.Add(5*time.Minute), "account:3", "addr:10.0.0.1"))
	b, _ = st.CheckLogin(ctx, lim, "account:9", "addr:10.0.0.1", t0.Add(6*time.Minute))
	if b.Key != "addr:10.0.0.1" || !b.Until.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("5 failures from the address: %+v", b)
	}
	b, _ = st.CheckLogin(ctx, lim, "account:9", "addr:10.0.0.2", t0.Add(6*time.Minute))
	if !b.Until.IsZero() {
		t.Fatalf("another address is blocked: %+v", b)
	}
	must(t, st.ClearLoginFailures(ctx, "account:1"))
	b, _ = st.CheckLogin(ctx, lim, "account:1", "", t0.Add(3*time.Minute))
	if !b.Until.IsZero() {
		t.Fatalf("cleared account still blocked: %+v", b)
	}
}
