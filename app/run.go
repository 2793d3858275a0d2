package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/internal/clientip"
	"github.com/bpvp-sidoarjo/kompeten/metrics"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
	"github.com/bpvp-sidoarjo/kompeten/web"
	"github.com/bpvp-sidoarjo/kompeten/worker"
)

// NewActivities wires the activities with the store and the partner adapters.
func NewActivities(c *config.Config, st *store.Store, logger *slog.Logger) (*activities.Activities, error) {
	ins, err := Insurer(c)
	if err != nil {
		return nil, err
	}
	if err := CheckCertifiers(c); err != nil {
		return nil, err
	}
	// The signals kompeten sends its own workflows carry the worker's claim; the key is
	// generated into the data directory when missing, which `serve` and `worker` rule out.
	key, err := auth.LoadActorKey(c.Security.ActorKey, c.DataDir, true)
	if err != nil {
		return nil, err
	}
	agreements := agreementOptions(c)
	agreements.ActorKey = key
	messenger, err := Messenger(c, logger)
	if err != nil {
		return nil, err
	}
	// The follow-up messages carry self-report links, signed with the key the HTTP server
	// checks them with; generated like the actor key when missing, which `worker` rules out.
	issuer, err := SelfReportIssuer(c, st, true)
	if err != nil {
		return nil, fmt.Errorf("self-report links: %w", err)
	}
	messenger.Links = issuer
	// Every partner call is measured (latency, errors) under the partner's code.
	certifiers := Certifiers(c)
	return &activities.Activities{
		Store:   st,
		Insurer: metrics.Default.Insurer(c.Partners.InsurerCode, ins),
		Certifier: func(code string) (partners.Certifier, error) {
			cl, err := certifiers(code)
			return metrics.Default.Certifier(code, cl), err
		},
		Contribution: activities.Contribution{
			DeclaredIncome: c.Insurance.DeclaredIncome, JKKRate: c.Insurance.JKKRate,
			JKKMin: c.Insurance.JKKMin, JKM: c.Insurance.JKM, MinMonthly: c.Insurance.MinMonthly,
		},
		Agreements: agreements,
		Messages:   messenger,
		Logger:     logger.With("component", "activities"),
	}, nil
}

// StartWorker starts a worker that runs the journeys; Stop drains it. Extra interceptors come
// after the actor check (the fault tests watch partner-call attempts with one).
func StartWorker(c *config.Config, tc client.Client, st *store.Store, logger *slog.Logger, extra ...interceptor.WorkerInterceptor) (sdkworker.Worker, error) {
	return startWorker(c, tc, st, logger, false, extra...)
}

// startWorker is StartWorker; with own (dev, the only worker) a versioned worker makes its
// build current at every start rather than only the deployment's first.
func startWorker(c *config.Config, tc client.Client, st *store.Store, logger *slog.Logger, own bool, extra ...interceptor.WorkerInterceptor) (sdkworker.Worker, error) {
	acts, err := NewActivities(c, st, logger)
	if err != nil {
		return nil, err
	}
	// Human steps are verified against the API's signature; the key is generated into the data
	// directory when missing, which `serve` and `worker` rule out by requiring it beforehand.
	check, err := ActorCheck(c, true)
	if err != nil {
		return nil, err
	}
	o := WorkerOptions(c)
	o.Interceptors = append(o.Interceptors, check)
	o.Interceptors = append(o.Interceptors, extra...)
	w := worker.NewWithOptions(tc, c.Temporal.TaskQueue, acts, o)
	worker.RegisterOps(w, NewOps(c, st, logger))
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start worker on task queue %s: %w", c.Temporal.TaskQueue, err)
	}
	if err := joinDeployment(context.Background(), c, tc, logger, own); err != nil {
		w.Stop()
		return nil, err
	}
	// A digest that cannot be scheduled must not stop the journeys: say so and run on.
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := EnsureDigestSchedule(sctx, c, tc); err != nil {
		logger.Error("daily digest not scheduled", "error", err)
	}
	return w, nil
}

// HTTPServer is the API server with its listener already bound, so the address is known and a
// port conflict is reported at start-up.
type HTTPServer struct {
	srv *http.Server
	ln  net.Listener
	// pages run the cohort-start jobs: from Serve until Shutdown.
	pages *web.Server
}

// HTTPOption adds to the HTTP server.
type HTTPOption func(h *httpSetup)

// httpSetup is what an HTTPOption may change while the server is assembled.
type httpSetup struct {
	mux   *http.ServeMux
	api   *api.Server
	pages func(http.Handler) http.Handler
	// sessions is the pages' login (WithAuth); single sign-on is added to it when configured.
	sessions *web.Sessions
}

// WithAuth requires an API token on the API (Authorization: Bearer) and a login on the pages
// (an account's password or a token), with accounts, tokens and sessions in the store; key (security.actor_key) derives the forms' CSRF
// tokens, and a session ends after idle without a request (security.session_idle).
func WithAuth(st *store.Store, key []byte, idle time.Duration) HTTPOption {
	return func(h *httpSetup) {
		h.api.Tokens = api.StoreTokens(st)
		s := &web.Sessions{Lookup: h.api.Tokens, Key: key, Store: st, Idle: idle, Accounts: st}
		h.pages, h.sessions = s.Wrap, s
	}
}

// WithCodec serves the remote codec for the Temporal Web UI under /codec/. It is mounted
// outside the API's request log: the Web UI's path carries the codec token.
func WithCodec(h http.Handler) HTTPOption {
	return func(s *httpSetup) {
		if h != nil {
			s.mux.Handle("/codec/", http.StripPrefix("/codec", h))
		}
	}
}

// DependencyChecks are what /healthz and /readyz ask: PostgreSQL and the Temporal frontend.
func DependencyChecks(st *store.Store, tc client.Client) map[string]api.Checker {
	return map[string]api.Checker{
		"postgres": st.Ping,
		"temporal": func(ctx context.Context) error {
			_, err := tc.CheckHealth(ctx, &client.CheckHealthRequest{})
			return err
		},
	}
}

// NewHTTPServer binds addr and prepares the API, with GET /metrics (the process's metrics and
// the case gauges from the read model), GET /livez and GET /readyz (Probes).
func NewHTTPServer(c *config.Config, svc *starter.Service, st *store.Store, tc client.Client, logger *slog.Logger, extra map[string]http.Handler, opts ...HTTPOption) (*HTTPServer, error) {
	ln, err := net.Listen("tcp", c.HTTP.Addr)
	if err != nil {
		return nil, fmt.Errorf("http.addr: listen on %s: %w", c.HTTP.Addr, err)
	}
	checks := DependencyChecks(st, tc)
	// The pages and the downloads show times as the centres see them.
	loc, err := time.LoadLocation(c.Journey.Timezone)
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("journey.timezone: %w", err)
	}
	a := &api.Server{Location: loc, Svc: svc, Store: st, Logger: logger.With("component", "http"), Extra: extra, Checks: checks}
	metrics.Default.WatchCases(CaseCounts(st), c.Metrics.CaseRefresh)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Default.Handler())
	// The providers' callbacks: signed, not behind a token or a login.
	for p, h := range Webhooks(c, st, logger) {
		mux.Handle(p, h)
	}
	NewProbes(checks).Register(mux)
	setup := &httpSetup{mux: mux, api: a, pages: func(h http.Handler) http.Handler { return h }}
	for _, o := range opts {
		o(setup)
	}
	if c.Auth.OIDC.Enabled() && setup.sessions != nil {
		// Read the provider's discovery document now: a wrong issuer stops the start.
		sso, err := web.NewSSO(context.Background(), c.Auth.OIDC, st)
		if err != nil {
			_ = ln.Close()
			return nil, err
		}
		setup.sessions.SSO = sso
		logger.Info("single sign-on on", "component", "security", "issuer", c.Auth.OIDC.Issuer)
	}
	// The cohort uploads' jobs are kept in the store with the uploads sealed with the payload keys.
	ring, err := temporalclient.Keyring(c)
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	// The pages are served in front of the API and use only it; other paths reach the API.
	pages, err := web.New(a.Handler(), web.Options{Location: loc, Logger: logger.With("component", "web"), MinAge: c.Journey.MinAge, MaxAge: c.Journey.MaxAge,
		PublicURL: c.SelfReport.PublicURL, Jobs: st, Keyring: ring})
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	if _, err := MountSelfReport(mux, c, svc, st, loc, logger); err != nil {
		_ = ln.Close()
		return nil, err
	}
	mux.Handle("/", setup.pages(pages.Handler()))
	trusted, err := clientip.Parse(c.Security.TrustedProxies)
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("security.trusted_proxies: %w", err)
	}
	return &HTTPServer{
		srv:   &http.Server{Handler: trusted.Middleware(mux), ReadHeaderTimeout: 10 * time.Second},
		ln:    ln,
		pages: pages,
	}, nil
}

// Addr is the bound address.
func (h *HTTPServer) Addr() string { return h.ln.Addr().String() }

// Serve runs until Shutdown. It also resumes the cohort-start jobs a stopped serve process
// left running, and runs them.
func (h *HTTPServer) Serve() error {
	h.pages.StartJobs()
	if err := h.srv.Serve(h.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting requests and waits for running ones, then stops the cohort-start
// jobs running here, handing them to the next serve process (each resumes where it stopped).
func (h *HTTPServer) Shutdown(ctx context.Context) error {
	err := h.srv.Shutdown(ctx)
	return errors.Join(err, h.pages.StopJobs(ctx))
}

// OpenStore connects to PostgreSQL; with migrate it also brings the schema up to date and
// loads the registry seed (idempotent).
func OpenStore(ctx context.Context, c *config.Config, url string, migrate bool) (*store.Store, error) {
	if migrate {
		if err := store.Migrate(ctx, url); err != nil {
			return nil, fmt.Errorf("migrate %s: %w", config.MaskURL(url), err)
		}
	}
	st, err := store.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("database.url: %w", err)
	}
	if migrate {
		if err := st.Seed(ctx, store.SeedOptions{MoUValidYears: c.MoU.SeedValidYears}); err != nil {
			st.Close()
			return nil, fmt.Errorf("seed registry: %w", err)
		}
	}
	return st, nil
}
