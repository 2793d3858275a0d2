package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// DevTokenFile holds dev's coordinator token in the data directory; the CLI falls back to it.
const DevTokenFile = "dev-token"

// devTokenName is the dev token's name, the actor id of what it does.
const devTokenName = "dev-coordinator"

// EnsureDevToken makes `kompeten dev` usable out of the box: on first start (or when the file's
// token no longer works, e.g. a fresh database) it creates a coordinator token and writes it to
// <data_dir>/dev-token (0600). It returns the file's path and whether a token was created.
func EnsureDevToken(ctx context.Context, c *config.Config, st *store.Store) (string, bool, error) {
	path := filepath.Join(c.DataDir, DevTokenFile)
	if b, err := os.ReadFile(path); err == nil {
		if _, err := st.TokenByHash(ctx, auth.HashToken(string(b))); err == nil {
			return path, false, nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return "", false, err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", false, fmt.Errorf("read dev token %s: %w", path, err)
	}
	if err := st.RevokeToken(ctx, devTokenName); err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", false, err
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return "", false, err
	}
	if _, err := st.CreateToken(ctx, devTokenName, vocab.RoleCoordinator, nil, hash); err != nil {
		return "", false, err
	}
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return "", false, fmt.Errorf("write dev token %s: %w", path, err)
	}
	return path, true, nil
}

// ReadTokenFile returns the token in path, trimmed.
func ReadTokenFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}
