package store_test

import (
	"context"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Tokens: found by hash while live, one live token per name, revocation ends the lookup, the
// schema refuses unknown roles.
func TestTokenLifecycle(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	tok, err := st.CreateToken(ctx, "siti", "centre-admin", []string{"BLK-SBY", "BLK-PAS"}, []byte("hash-1"))
	must(t, err)
	got, err := st.TokenByHash(ctx, []byte("hash-1"))
	must(t, err)
	if got.ID != tok.ID || got.Name != "siti" || got.Role != "centre-admin" || len(got.Scopes) != 2 || got.Scopes[1] != "BLK-PAS" {
		t.Fatalf("looked up %+v", got)
	}
	_, err = st.CreateToken(ctx, "siti", "viewer", nil, []byte("hash-2"))
	mustErrIs(t, err, store.ErrExists)
	_, err = st.CreateToken(ctx, "root", "superuser", nil, []byte("hash-3"))
	mustErrIs(t, err, store.ErrInvalid)
	_, err = st.TokenByHash(ctx, []byte("hash-unknown"))
	mustErrIs(t, err, store.ErrNotFound)

	must(t, st.RevokeToken(ctx, "siti"))
	_, err = st.TokenByHash(ctx, []byte("hash-1"))
	mustErrIs(t, err, store.ErrNotFound)
	mustErrIs(t, st.RevokeToken(ctx, "siti"), store.ErrNotFound)
	// The name is free again once revoked.
	_, err = st.CreateToken(ctx, "siti", "centre-admin", []string{"BLK-SBY"}, []byte("hash-4"))
	must(t, err)
	ts, err := st.ListTokens(ctx)
	must(t, err)
	if len(ts) != 2 || ts[0].RevokedAt != nil || ts[1].RevokedAt == nil {
		t.Fatalf("list: live first, then revoked; got %+v", ts)
	}
}
