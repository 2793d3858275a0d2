// Package app assembles kompeten's components from the configuration: logger, database,
// keys, partner adapters, worker and HTTP server. The commands (dev, serve, worker) and the
// integration tests share it, so they run the same wiring.
package app

import (
	"io"
	"log/slog"

	"github.com/bpvp-sidoarjo/kompeten/config"
)

// NewLogger builds the process logger from log.level and log.format.
func NewLogger(c config.LogConfig, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.Level)) // validated by config
	opts := &slog.HandlerOptions{Level: lvl}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
