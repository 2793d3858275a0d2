package store

import (
	"context"
	"fmt"
	"time"
)

// LoginLimits throttle password guessing: after PerAccount failed logins on one account (or
// one unknown login name) within Window, or PerAddress from one client address, further logins
// there are refused until the oldest of those failures is Window old.
type LoginLimits struct {
	PerAccount int
	PerAddress int
	Window     time.Duration
}

// DefaultLoginLimits are kompeten's limits: 5 failures per account, 20 per address, in 15 minutes.
var DefaultLoginLimits = LoginLimits{PerAccount: 5, PerAddress: 20, Window: 15 * time.Minute}

// LoginBlock says which throttle refuses a login and until when; a zero Until: none does.
type LoginBlock struct {
	// Key is the throttled key: the account's or the address's.
	Key   string
	Until time.Time
}

// CheckLogin returns the first throttle that refuses a login at at, for the account key and
// the address key (either may be empty), or a zero LoginBlock.
func (s *Store) CheckLogin(ctx context.Context, lim LoginLimits, accountKey, addrKey string, at time.Time) (LoginBlock, error) {
	for _, k := range []struct {
		key   string
		limit int
	}{{accountKey, lim.PerAccount}, {addrKey, lim.PerAddress}} {
		if k.key == "" || k.limit <= 0 {
			continue
		}
		var n int
		var oldest *time.Time
		err := s.pool.QueryRow(ctx, `SELECT count(*), min(failed_at) FROM (
			SELECT failed_at FROM login_failures WHERE key = $1 AND failed_at > $2 ORDER BY failed_at DESC LIMIT $3) f`,
			k.key, at.Add(-lim.Window), k.limit).Scan(&n, &oldest)
		if err != nil {
			return LoginBlock{}, fmt.Errorf("check login throttle: %w", err)
		}
		if n >= k.limit && oldest != nil {
			return LoginBlock{Key: k.key, Until: oldest.Add(lim.Window)}, nil
		}
	}
	return LoginBlock{}, nil
}

// RecordLoginFailure counts one failed login at at against each non-empty key and forgets
// failures older than a day.
func (s *Store) RecordLoginFailure(ctx context.Context, at time.Time, keys ...string) error {
	for _, k := range keys {
		if k == "" {
			continue
		}
		if _, err := s.pool.Exec(ctx, `INSERT INTO login_failures (key, failed_at) VALUES ($1, $2)`, k, at); err != nil {
			return fmt.Errorf("record failed login: %w", err)
		}
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM login_failures WHERE failed_at < $1`, at.Add(-24*time.Hour)); err != nil {
		return fmt.Errorf("forget old failed logins: %w", err)
	}
	return nil
}

// ClearLoginFailures forgets the failures of a key (an account that has just logged in).
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM login_failures WHERE key = $1`, key); err != nil {
		return fmt.Errorf("clear failed logins: %w", err)
	}
	return nil
}
