package main

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/app"
)

// apiToken is the token the CLI authenticates with: --token, else KOMPETEN_TOKEN, else the dev
// coordinator's token that `kompeten dev` wrote into the configured data directory. None is no
// error here: the server answers 401 with what to do.
func apiToken(cmd *cobra.Command) (string, error) {
	if f := cmd.Flags().Lookup("token"); f != nil && f.Changed {
		return f.Value.String(), nil
	}
	if t := os.Getenv("KOMPETEN_TOKEN"); t != "" {
		return t, nil
	}
	c, err := loadConfig(cmd)
	if err != nil {
		return "", err
	}
	t, err := app.ReadTokenFile(filepath.Join(c.DataDir, app.DevTokenFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	return t, err
}
