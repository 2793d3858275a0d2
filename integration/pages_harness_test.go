package integration

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// withPages serves the pages in front of the API, as kompeten dev and serve do, so a test can
// drive them in a browser on the same address as the API.
func withPages(t *testing.T, c *config.Config, apiHandler http.Handler, logger *slog.Logger) http.Handler {
	t.Helper()
	loc, err := time.LoadLocation(c.Journey.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	pages, err := web.New(apiHandler, web.Options{Location: loc, Logger: logger, MinAge: c.Journey.MinAge, MaxAge: c.Journey.MaxAge})
	if err != nil {
		t.Fatal(err)
	}
	return pages.Handler()
}
