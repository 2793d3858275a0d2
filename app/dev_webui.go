package app

import (
	"net"

	"github.com/bpvp-sidoarjo/kompeten/config"
)

// devWebUIURL is the Temporal Web UI address the case pages link to in dev: a
// temporal.web_ui_url that was changed from its default wins; otherwise the UI dev actually
// started (dev.ui_addr may have moved it off the default port, or "" when it is off, so the
// link is left out rather than pointing at nothing). An unspecified IP (0.0.0.0) becomes
// 127.0.0.1, which a browser on this machine can open.
func devWebUIURL(configured, started string) string {
	if configured != config.Default().Temporal.WebUIURL {
		return configured
	}
	if started == "" {
		return ""
	}
	const scheme = "http://"
	if len(started) > len(scheme) && started[:len(scheme)] == scheme {
		return scheme + browserHost(started[len(scheme):])
	}
	if _, _, err := net.SplitHostPort(started); err == nil {
		return scheme + browserHost(started)
	}
	return started
}
