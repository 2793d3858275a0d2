package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/app"
)

// apiToken is the token the CLI authenticates with, and where it came from (for the message
// when the server refuses it): --token, else KOMPETEN_TOKEN, else the dev coordinator's token
// that `kompeten dev` wrote into the configured data directory. None is no error here: the
// server answers 401 and the command says what to do.
func apiToken(cmd *cobra.Command) (token, from string, err error) {
	if f := cmd.Flags().Lookup("token"); f != nil && f.Changed {
		return f.Value.String(), "--token", nil
	}
	if t := os.Getenv("KOMPETEN_TOKEN"); t != "" {
		return t, "KOMPETEN_TOKEN", nil
	}
	c, err := loadConfig(cmd)
	if err != nil {
		return "", "", err
	}
	path := filepath.Join(c.DataDir, app.DevTokenFile)
	t, err := app.ReadTokenFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("read the dev token: %w", err)
	}
	return t, path, nil
}
