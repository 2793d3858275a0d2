package selfreport_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/selfreport"
)

// tokenOf is the token at the end of a link.
func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	tok, ok := strings.CutPrefix(u.Path, selfreport.LinkPath)
	if !ok {
		t.Fatalf("link %s is not under %s", link, selfreport.LinkPath)
	}
	return tok
}

// TestLinks issues, opens and spends links against the store: a link is the same while it works,
// works once, expires, and a tampered or foreign-key token is refused like an unknown one.
func TestLinks(t *testing.T) {
	_, st := testdb.NewMigrated(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	iss := &selfreport.Issuer{Store: st, Key: []byte(strings.Repeat("k", 32)), BaseURL: "https://kompeten.example/",
		TTL: 14 * 24 * time.Hour, Now: func() time.Time { return now }}

	link, err := iss.FollowUpLink(ctx, "C-1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(link, "https://kompeten.example/lapor/") {
		t.Fatalf("link %s does not start with the public address", link)
	}
	if strings.Contains(link, "C-1") {
		t.Fatalf("link %s names the case", link)
	}
	again, err := iss.FollowUpLink(ctx, "C-1", 1)
	if err != nil || again != link {
		t.Fatalf("second link for the same case and month = %s, %v; want the same %s", again, err, link)
	}
	other, _ := iss.FollowUpLink(ctx, "C-1", 3)
	if other == link {
		t.Fatal("another month got the same link")
	}
	tok := tokenOf(t, link)
	l, err := iss.Open(ctx, tok)
	if err != nil || l.CaseID != "C-1" || l.Month != 1 {
		t.Fatalf("open = %+v, %v", l, err)
	}

	// Tampered: a changed signature, a changed ID, no signature, another key.
	id, sig, _ := strings.Cut(tok, ".")
	flip := func(s string) string {
		b := []byte(s)
		if b[len(b)-1] == 'A' {
			b[len(b)-1] = 'B'
		} else {
			b[len(b)-1] = 'A'
		}
		return string(b)
	}
	foreign := &selfreport.Issuer{Store: st, Key: []byte(strings.Repeat("x", 32))}
	for name, bad := range map[string]string{
		"signature": id + "." + flip(sig), "id": flip(id) + "." + sig, "unsigned": id, "foreign key": foreign.Token(id), "empty": "",
	} {
		if _, err := iss.Open(ctx, bad); !errors.Is(err, selfreport.ErrLinkGone) {
			t.Errorf("open with a tampered token (%s) = %v, want ErrLinkGone", name, err)
		}
		if _, err := iss.Use(ctx, bad, "formal"); !errors.Is(err, selfreport.ErrLinkGone) {
			t.Errorf("use with a tampered token (%s) = %v, want ErrLinkGone", name, err)
		}
	}

	// Single use: the first use spends it; a second, and opening it, are refused.
	used, err := iss.Use(ctx, tok, "working")
	if err != nil || used.CaseID != "C-1" || used.Answer != "working" {
		t.Fatalf("use = %+v, %v", used, err)
	}
	if _, err := iss.Use(ctx, tok, "working"); !errors.Is(err, selfreport.ErrLinkGone) {
		t.Fatalf("second use = %v, want ErrLinkGone", err)
	}
	if _, err := iss.Open(ctx, tok); !errors.Is(err, selfreport.ErrLinkGone) {
		t.Fatalf("open after use = %v, want ErrLinkGone", err)
	}
	// A refused answer gives the link back.
	if err := iss.Release(ctx, used); err != nil {
		t.Fatal(err)
	}
	if _, err := iss.Open(ctx, tok); err != nil {
		t.Fatalf("open after release = %v", err)
	}
	if _, err := iss.Use(ctx, tok, "working"); err != nil {
		t.Fatal(err)
	}
	fresh, err := iss.FollowUpLink(ctx, "C-1", 1)
	if err != nil || fresh == link {
		t.Fatalf("link after use = %s, %v; want a fresh one", fresh, err)
	}

	// Expiry: the link works until its TTL is over, then it is refused and a new one is issued.
	exp := tokenOf(t, other)
	now = now.Add(14*24*time.Hour - time.Second)
	if _, err := iss.Open(ctx, exp); err != nil {
		t.Fatalf("open a second before expiry = %v", err)
	}
	now = now.Add(time.Second)
	if _, err := iss.Open(ctx, exp); !errors.Is(err, selfreport.ErrLinkGone) {
		t.Fatalf("open at expiry = %v, want ErrLinkGone", err)
	}
	if _, err := iss.Use(ctx, exp, "working"); !errors.Is(err, selfreport.ErrLinkGone) {
		t.Fatalf("use at expiry = %v, want ErrLinkGone", err)
	}
	renewed, err := iss.FollowUpLink(ctx, "C-1", 3)
	if err != nil || renewed == other {
		t.Fatalf("link after expiry = %s, %v; want a fresh one", renewed, err)
	}
}
