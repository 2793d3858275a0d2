package app

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/selfreport"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// selfReportKeyFile holds the generated self-report link key in the data directory.
const selfReportKeyFile = "selfreport.key"

// SelfReportKey returns the key that signs the follow-up links: selfreport.key when set;
// otherwise the data directory's key, generated there on first use when generate is true. The
// process that sends the messages and the one that serves /lapor/ must share it.
func SelfReportKey(c *config.Config, generate bool) ([]byte, error) {
	return auth.Secret{
		ConfigKey: "selfreport.key", Value: c.SelfReport.Key, DataDir: c.DataDir, File: selfReportKeyFile,
		Purpose: "the messages' sender and the HTTP server share",
	}.Load(generate)
}

// PublicURL is where graduates and employers reach kompeten: selfreport.public_url, else
// http:// and http.addr (dev).
func PublicURL(c *config.Config) string {
	if u := strings.TrimRight(c.SelfReport.PublicURL, "/"); u != "" {
		return u
	}
	addr := c.HTTP.Addr
	if strings.HasPrefix(addr, ":") {
		addr = "localhost" + addr
	}
	return "http://" + addr
}

// SelfReportIssuer is the follow-up link issuer: the messages call its FollowUpLink for each
// follow-up, the /lapor/ page checks and spends the links.
func SelfReportIssuer(c *config.Config, st *store.Store, generate bool) (*selfreport.Issuer, error) {
	key, err := SelfReportKey(c, generate)
	if err != nil {
		return nil, err
	}
	return &selfreport.Issuer{Store: st, Key: key, BaseURL: PublicURL(c), TTL: c.SelfReport.LinkTTL}, nil
}

// MountSelfReport serves the graduates' follow-up page (/lapor/) and the public certificate
// check (/verifikasi/) on mux, outside the login: both are public, the first bound to its
// signed link, the second rate-limited per client address. It returns the links' issuer.
func MountSelfReport(mux *http.ServeMux, c *config.Config, svc *starter.Service, st *store.Store, loc *time.Location, logger *slog.Logger) (*selfreport.Issuer, error) {
	issuer, err := SelfReportIssuer(c, st, true)
	if err != nil {
		return nil, fmt.Errorf("self-report links: %w", err)
	}
	page := &selfreport.Page{Issuer: issuer, Subjects: st, Steps: svc, Location: loc, Logger: logger.With("component", "selfreport")}
	page.Register(mux)
	v := &selfreport.Verifier{Store: st, Limiter: selfreport.NewLimiter(c.SelfReport.VerifyPerMinute, time.Minute),
		Location: loc, Logger: logger.With("component", "verify")}
	v.Register(mux)
	return issuer, nil
}
