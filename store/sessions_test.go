package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Sessions in PostgreSQL: a live one is found and touched; logout, idleness (for good, even if
// a clock goes back), the absolute end and revoking the token each end it.
func TestWebSessionLifecycle(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	_, err := st.CreateToken(ctx, "cora", "coordinator", nil, []byte("tok-cora"))
	must(t, err)
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	idle := 10 * time.Minute
	create := func(id string, at time.Time) {
		t.Helper()
		must(t, st.CreateSession(ctx, store.WebSession{IDHash: []byte(id), TokenHash: []byte("tok-cora"), CreatedAt: at, ExpiresAt: at.Add(12 * time.Hour)}, at.Add(-idle)))
	}
	touch := func(id string, at time.Time) error {
		t.Helper()
		ws, err := st.TouchSession(ctx, []byte(id), at, at.Add(-idle))
		if err == nil && (string(ws.TokenHash) != "tok-cora" || ws.AccountID != 0) {
			t.Fatalf("session %s: token hash %q, account %d", id, ws.TokenHash, ws.AccountID)
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("session %s: %v", id, err)
		}
		return err
	}
	create("a", t0)
	for i := 1; i <= 3; i++ {
		if err := touch("a", t0.Add(time.Duration(i)*9*time.Minute)); err != nil {
			t.Fatalf("session used every 9 minutes ended at step %d", i)
		}
	}
	must(t, st.EndSession(ctx, []byte("a")))
	if touch("a", t0.Add(28*time.Minute)) == nil {
		t.Fatal("session lives after logout")
	}

	create("b", t0)
	if touch("b", t0.Add(11*time.Minute)) == nil {
		t.Fatal("session idle 11 minutes (timeout 10) lives")
	}
	if touch("b", t0.Add(time.Minute)) == nil {
		t.Fatal("an idle-ended session came back with an earlier clock")
	}

	create("c", t0)
	if touch("c", t0.Add(12*time.Hour)) == nil {
		t.Fatal("session lives at its absolute end")
	}

	create("d", t0)
	create("e", t0)
	must(t, st.RevokeToken(ctx, "cora"))
	if touch("d", t0.Add(time.Minute)) == nil || touch("e", t0.Add(time.Minute)) == nil {
		t.Fatal("sessions of a revoked token live")
	}
}
