package integration

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/devserver"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// system is one running kompeten for a test.
type system struct {
	t      *testing.T
	cfg    *config.Config
	store  *store.Store
	tc     client.Client
	svc    *starter.Service
	sims   *app.Simulators
	api    *httptest.Server
	server *devserver.Server
	// dbURL is the test database, for a worker the test runs in another process.
	dbURL  string
	opts   systemOptions
	logger *slog.Logger
	// token is sent by call as a bearer token when the API requires one (systemOptions.Auth).
	token string
	// sessionClock is the pages' session clock (systemOptions.Sessions).
	sessionClock *sessionClock
}

// sessionClock is the real time moved on by a test, so a session can pass its idle timeout
// while the journeys keep real time.
type sessionClock struct{ ahead atomic.Int64 }

func (c *sessionClock) now() time.Time { return time.Now().Add(time.Duration(c.ahead.Load())) }

// pass moves the sessions' clock on by d.
func (c *sessionClock) pass(d time.Duration) { c.ahead.Add(int64(d)) }

// systemOptions vary the system for the privacy and fault tests; the zero value is the usual
// in-memory system with its own worker.
type systemOptions struct {
	// Auth makes the API require tokens (as dev and serve do); call then sends a coordinator's.
	Auth bool
	// Sessions puts the pages behind the login as dev and serve do (password accounts, one-time
	// links, sessions on the store, downloads in WIB); it implies Auth. The sessions' clock is
	// sys.sessionClock, which a test moves to end a session.
	Sessions bool
	// DatabaseFile persists the embedded server to a SQLite file instead of memory.
	DatabaseFile string
	// Logger receives the logs of every component; default: errors to stderr.
	Logger *slog.Logger
	// ServerLogLevel filters the embedded server's own logs (default error).
	ServerLogLevel slog.Level
	// NoWorker leaves the journeys to a worker the test runs itself (in another process).
	NoWorker bool
	// WrapSimulators, when set, sits between the partner adapters and the simulators (to hold
	// a call mid-flight, say).
	WrapSimulators func(http.Handler) http.Handler
	// DatabaseURL, when set, is the database to use instead of a fresh one from testdb (a
	// private cluster the test stops and starts, say).
	DatabaseURL string
	// WorkerInterceptors wrap the in-process worker's workflows and activities (to watch each
	// partner-call attempt, say).
	WorkerInterceptors []interceptor.WorkerInterceptor
}

// fastConfig shortens every duration so a whole journey runs in seconds.
func fastConfig(t *testing.T) *config.Config {
	t.Helper()
	c, err := config.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	c.DataDir = t.TempDir()
	c.Journey.Month = 2 * time.Second
	c.Journey.FollowUpMonths = []int{1, 2}
	c.Journey.ResultPollInterval = 500 * time.Millisecond
	c.Journey.AgreementPoll = time.Second
	c.Simulators.BPJS.Latency = 0
	c.Simulators.BPJS.ErrorRate = 0
	c.Simulators.LSP.Latency = 0
	c.Simulators.LSP.ErrorRate = 0
	c.Simulators.LSP.BKRate = 0
	c.Simulators.LSP.ScheduleLead = 500 * time.Millisecond
	c.Simulators.LSP.ResultDelay = 500 * time.Millisecond
	c.Security.NIKHashKey = "integration-test-key-0123456789abcdef0123456789"
	// Tests stop their in-process worker with partner calls still held on purpose: no drain
	// (the SDK's default); the drain test runs worker processes with worker.stop_timeout.
	c.Worker.StopTimeout = 0
	// The API signs claims with it and every worker (the fault tests' processes too) checks
	// them; the replay test judges recorded signals with it again.
	actorKey, err := os.ReadFile(filepath.Join("..", "workflows", "testdata", "actor-test.key"))
	if err != nil {
		t.Fatal(err)
	}
	c.Security.ActorKey = strings.TrimSpace(string(actorKey))
	// Test-only payload keys, shared with the replay test so recorded histories replay.
	keys, err := filepath.Abs(filepath.Join("..", "workflows", "testdata", "payload-test.keys"))
	if err != nil {
		t.Fatal(err)
	}
	c.Security.PayloadKeyFile = keys
	// Messages to trainees go to the WhatsApp simulator (startSystemWith points them there),
	// which signs its webhooks with this secret; tests that inject failures set error_rate.
	c.Messaging.WhatsApp.AppSecret = "it-whatsapp-app-secret"
	c.Messaging.WhatsApp.PhoneNumberID = "IT-PHONE-ID"
	c.Messaging.SMS.Secret = "it-sms-secret"
	// The workers sign self-report links and the HTTP server checks them: one key for both,
	// worker processes of the fault tests included.
	c.SelfReport.Key = "integration-selfreport-key-0123456789abcdef"
	c.Simulators.WhatsApp = config.MessagingSimulatorConfig{StatusDelay: 100 * time.Millisecond}
	c.Simulators.SMS = config.MessagingSimulatorConfig{StatusDelay: 100 * time.Millisecond}
	return c
}

// startSystem brings up the embedded server, a fresh database, simulators, a worker and the API.
func startSystem(t *testing.T, c *config.Config) *system {
	t.Helper()
	return startSystemWith(t, c, systemOptions{ServerLogLevel: slog.LevelError})
}

// startSystemWith is startSystem with options.
func startSystemWith(t *testing.T, c *config.Config, o systemOptions) *system {
	t.Helper()
	ctx := context.Background()
	// Background goroutines of the server outlive a test's logger, so log to stderr, errors only.
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	}
	url := o.DatabaseURL
	if url == "" {
		url = testdb.New(t)
	}
	st, err := app.OpenStore(ctx, c, url, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)

	sys := &system{t: t, cfg: c, store: st, dbURL: url, opts: o, logger: logger}
	sys.startServer(0)
	t.Cleanup(func() {
		if sys.server != nil {
			sys.server.Stop()
		}
	})
	c.Temporal.Address = sys.server.HostPort()

	sims, err := app.NewSimulators(ctx, c, st.Pool())
	if err != nil {
		t.Fatal(err)
	}
	simHandler := sims.Handler("/sim")
	if o.WrapSimulators != nil {
		simHandler = o.WrapSimulators(simHandler)
	}
	simSrv := httptest.NewServer(simHandler)
	t.Cleanup(simSrv.Close)
	c.Partners.BPJS.BaseURL = simSrv.URL + "/sim/bpjs"
	c.Partners.LSP.BaseURL = simSrv.URL + "/sim/lsp"
	c.Messaging.WhatsApp.BaseURL = simSrv.URL + "/sim/whatsapp"
	c.Messaging.SMS.BaseURL = simSrv.URL + "/sim/sms"

	tc, err := temporalclient.Dial(ctx, c, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tc.Close)
	if !o.NoWorker {
		w, err := app.StartWorker(c, tc, st, logger, o.WorkerInterceptors...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(w.Stop)
	}

	key, err := app.HashKey(c, false)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := starter.New(tc, st, c, key)
	if err != nil {
		t.Fatal(err)
	}
	a := &api.Server{Svc: svc, Store: st, Logger: logger, Checks: map[string]api.Checker{"postgres": st.Ping}}
	if o.Auth || o.Sessions {
		a.Tokens = api.StoreTokens(st)
		sys.token = sys.newToken("it-coordinator", "coordinator")
	}
	if o.Sessions {
		a.Location = svc.Location() // as serve has it: download times in WIB
	}
	site := withPages(t, c, a.Handler(), logger)
	if o.Sessions {
		sys.sessionClock = &sessionClock{}
		site = (&web.Sessions{Lookup: api.StoreTokens(st), Key: []byte("it-session-key-0123456789abcdef0123456789"), Store: st, Accounts: st, Idle: c.Security.SessionIdle,
			Now: sys.sessionClock.now, Logger: logger}).Wrap(site)
	}
	// The providers' webhooks sit outside the token check and the login, as serve mounts them.
	outer := http.NewServeMux()
	for p, h := range app.Webhooks(c, st, logger) {
		outer.Handle(p, h)
	}
	outer.Handle("/", site)
	hs := httptest.NewServer(outer)
	t.Cleanup(hs.Close)
	sims.WhatsApp.SetWebhook(hs.URL + "/webhooks/whatsapp")
	sims.SMS.SetWebhook(hs.URL + "/webhooks/sms")
	sys.tc, sys.svc, sys.sims, sys.api = tc, svc, sims, hs
	return sys
}

// startServer starts the embedded server; port 0 picks one (a restart passes the old one, so
// clients and workers find the server where they left it).
func (s *system) startServer(port int) {
	s.t.Helper()
	srv, err := devserver.Start(context.Background(), devserver.Options{
		DatabaseFile: s.opts.DatabaseFile, FrontendPort: port,
		Namespace: "default", SearchAttributes: workflows.SearchAttributes(), Logger: s.logger, LogLevel: s.opts.ServerLogLevel,
	})
	if err != nil {
		s.t.Fatal(err)
	}
	s.server = srv
}

// client is the API client of the system, with its token.
func (s *system) client() *apiclient.Client {
	return apiclient.New(s.api.URL, apiclient.WithToken(s.token))
}

// call sends a JSON request to the API and decodes the answer; it returns the status code. A
// refusal's sentence goes into out when out is an *api.ErrorBody.
func (s *system) call(method, path string, body, out any) int {
	s.t.Helper()
	status, err := s.client().Do(context.Background(), method, path, body, out)
	var e *apiclient.Error
	switch {
	case errors.As(err, &e):
		if eb, ok := out.(*api.ErrorBody); ok {
			eb.Error = e.Message
		}
		return e.Status
	case err != nil:
		s.t.Fatal(err)
	}
	return status
}

// approveCertification approves a case's certification through the API as manager, as the
// LSP manager's page does, and requires the API to take it.
func (s *system) approveCertification(manager workflows.Actor, caseID string) {
	s.t.Helper()
	if _, err := s.client().DecideCertification(context.Background(), caseID, workflows.CertificationDecision{Actor: manager, Approve: true}); err != nil {
		s.t.Fatalf("approve certification %s: %v", caseID, err)
	}
}

// eventually polls cond until it holds or the deadline passes; no fixed sleeps.
func eventually(t *testing.T, within time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	last := ""
	for {
		ok, state := cond()
		if ok {
			return
		}
		last = state
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached within %s; last state: %s", what, within, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// caseIn waits until a case reaches a stage (and returns its row).
func (s *system) caseIn(caseID string, stage vocab.Stage, within time.Duration) store.Case {
	s.t.Helper()
	var c store.Case
	eventually(s.t, within, fmt.Sprintf("case %s in %s", caseID, stage), func() (bool, string) {
		var err error
		c, err = s.store.GetCase(context.Background(), caseID)
		if err != nil {
			return false, err.Error()
		}
		return c.Stage == stage, fmt.Sprintf("stage=%s waiting=%s stuck=%v %s", c.Stage, c.WaitingOn, c.Stuck, c.StuckReason)
	})
	return c
}

// eventSeen waits until a case's event log has an event of the given kind.
func (s *system) eventSeen(caseID, kind string, within time.Duration) store.Event {
	s.t.Helper()
	var found store.Event
	eventually(s.t, within, fmt.Sprintf("event %s on case %s", kind, caseID), func() (bool, string) {
		evs, err := s.store.CaseEvents(context.Background(), caseID)
		if err != nil {
			return false, err.Error()
		}
		for _, e := range evs {
			if e.Kind == kind {
				found = e
				return true, ""
			}
		}
		return false, fmt.Sprintf("%d events", len(evs))
	})
	return found
}
