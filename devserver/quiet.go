package devserver

import "net/http"

// errServerClosed is what the UI server returns after a clean Stop.
var errServerClosed = http.ErrServerClosed

// quietLogger silences the SDK client used only for start-up checks.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}
