package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
)

// A fresh dev gets a coordinator "admin" and a one-time link; a restart before the link was
// used issues a new one (the old stops working); once the password is set nothing is issued.
func TestEnsureDevAccount(t *testing.T) {
	ctx := context.Background()
	_, st := testdb.NewMigrated(t)
	first, err := EnsureDevAccount(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || first.Username != "admin" || !strings.HasPrefix(first.LinkPath, "/password/") || first.ExpiresAt.Before(time.Now().Add(71*time.Hour)) {
		t.Fatalf("first start: %+v", first)
	}
	a, err := st.AccountByLogin(ctx, "admin")
	if err != nil || a.Role != "coordinator" || a.HasPassword {
		t.Fatalf("admin: %+v %v", a, err)
	}
	again, err := EnsureDevAccount(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created || again.LinkPath == "" || again.LinkPath == first.LinkPath {
		t.Fatalf("second start before the link was used: %+v", again)
	}
	if _, err := st.PasswordLink(ctx, auth.HashToken(strings.TrimPrefix(first.LinkPath, "/password/")), time.Now()); err == nil {
		t.Fatal("the first link still works after a new one was issued")
	}
	if _, err := st.UsePasswordLink(ctx, auth.HashToken(strings.TrimPrefix(again.LinkPath, "/password/")), "$argon2id$set", time.Now()); err != nil {
		t.Fatal(err)
	}
	third, err := EnsureDevAccount(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if third.Created || third.LinkPath != "" || third.Username != "admin" {
		t.Fatalf("start after the password was set: %+v", third)
	}
	if n, _ := st.CountAccounts(ctx); n != 1 {
		t.Fatalf("%d accounts", n)
	}
}
