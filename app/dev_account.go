package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// DevAdmin is the username of the first coordinator account `kompeten dev` creates.
const DevAdmin = "admin"

// DevLogin is what `kompeten dev` tells about the first coordinator's login.
type DevLogin struct {
	Username string
	// LinkPath is a fresh one-time set-password link (a path on the pages); empty when the
	// account already has its password.
	LinkPath  string
	ExpiresAt time.Time
	// Created says the account was created on this start.
	Created bool
}

// EnsureDevAccount gives a fresh `kompeten dev` its first coordinator account: when no account
// exists it creates "admin" (coordinator) and a one-time link to set its password. While admin
// still has no password (its link unused, perhaps printed in an earlier terminal), every start
// issues a new link, and the older one stops working. Once the password is set, nothing is
// issued; a coordinator resets it with `kompeten user reset admin`.
func EnsureDevAccount(ctx context.Context, st *store.Store) (DevLogin, error) {
	n, err := st.CountAccounts(ctx)
	if err != nil {
		return DevLogin{}, err
	}
	out := DevLogin{Username: DevAdmin}
	var a store.Account
	if n == 0 {
		a, err = st.CreateAccount(ctx, store.Account{Username: DevAdmin, Role: vocab.RoleCoordinator, CreatedBy: "kompeten dev"})
		if err != nil {
			return DevLogin{}, fmt.Errorf("create the dev coordinator account: %w", err)
		}
		out.Created = true
	} else {
		a, err = st.AccountByLogin(ctx, DevAdmin)
		if errors.Is(err, store.ErrNotFound) {
			return DevLogin{}, nil // other accounts exist: the network manages its own
		}
		if err != nil {
			return DevLogin{}, err
		}
		if a.HasPassword || a.DisabledAt != nil || a.CreatedBy != "kompeten dev" {
			return out, nil
		}
	}
	token, hash, err := auth.NewLinkToken()
	if err != nil {
		return DevLogin{}, err
	}
	now := time.Now()
	out.ExpiresAt = now.Add(api.PasswordLinkTTL).UTC().Truncate(time.Second)
	if err := st.IssuePasswordLink(ctx, a.ID, hash, now, now.Add(api.PasswordLinkTTL), false); err != nil {
		return DevLogin{}, fmt.Errorf("one-time link of the dev coordinator account: %w", err)
	}
	out.LinkPath = api.PasswordLinkPath(token)
	return out, nil
}
