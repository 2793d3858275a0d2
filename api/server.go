// Package api serves kompeten's HTTP JSON API (under /api/v1), the health endpoint and, in dev,
// the partner simulators. Everything a page or the CLI does goes through these endpoints.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Checker reports whether one dependency answers.
type Checker func(ctx context.Context) error

// Server holds what the handlers need.
type Server struct {
	Svc    *starter.Service
	Store  *store.Store
	Logger *slog.Logger
	// Checks are run by /healthz, by name ("temporal", "postgres").
	Checks map[string]Checker
	// Extra mounts more handlers (the simulators in dev) by path prefix.
	Extra map[string]http.Handler
	// EnrolConcurrency bounds how many journeys one enrolment request starts at once.
	EnrolConcurrency int
	// Tokens authenticates API tokens (StoreTokens); nil leaves the API open, for handler tests.
	Tokens auth.TokenLookup
	// Location is the journey's time zone (WIB): ages are counted and download times written
	// in it. UTC when nil.
	Location *time.Location

	overviewCache overviewCache // see OverviewTTL
}

// maxBody caps request bodies; an enrolment batch of 1,000 people fits well inside.
const maxBody = 8 << 20

// Handler returns the routed handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("GET /api/v1/centres", s.listCentres)
	mux.HandleFunc("GET /api/v1/partners", s.listPartners)
	mux.HandleFunc("GET /api/v1/schemes", s.listSchemes)
	mux.HandleFunc("GET /api/v1/packages", s.listPackages)
	mux.HandleFunc("GET /api/v1/followups", s.listFollowUps) // api/followups.go
	mux.HandleFunc("POST /api/v1/packages", s.createPackage)
	mux.HandleFunc("POST /api/v1/packages/preview", s.previewPackage)
	mux.HandleFunc("GET /api/v1/packages/{code}", s.getPackage)
	mux.HandleFunc("PATCH /api/v1/packages/{code}", s.updatePackage)
	mux.HandleFunc("POST /api/v1/packages/{code}/enrolments", s.enrol)
	mux.HandleFunc("POST /api/v1/packages/{code}/enrolled", s.enrolled)
	mux.HandleFunc("GET /api/v1/cases", s.listCases)
	mux.HandleFunc("POST /api/v1/cases/lookup", s.lookupCases)
	mux.HandleFunc("POST /api/v1/cases/search", s.searchCases)
	mux.HandleFunc("GET /api/v1/cases/{id}", s.getCase)
	mux.HandleFunc("GET /api/v1/cases/{id}/events", s.caseEvents)
	mux.HandleFunc("GET /api/v1/insurance/batch/export", s.exportBatch)
	mux.HandleFunc("POST /api/v1/insurance/batch/import", s.importBatch)
	mux.HandleFunc("GET /api/v1/insurance/batch/exports", s.listBatchExports)
	mux.HandleFunc("POST /api/v1/decisions", s.decideMany)
	mux.HandleFunc("POST /api/v1/cases/{id}/certificate/revoke", s.revokeCertificate)
	for path, a := range actions {
		h := s.action(a)
		if a.update == workflows.UpdateCorrectParticipant {
			h = s.correct // writes the corrected record before telling the journey
		}
		mux.HandleFunc("POST /api/v1/cases/{id}/"+path, h)
	}
	s.attendanceRoutes(mux)
	s.mouRoutes(mux)
	s.opsRoutes(mux)
	s.accountRoutes(mux)
	for prefix, h := range s.Extra {
		mux.Handle(prefix, h)
	}
	return s.logRequests(s.authenticate(checkCaseIDs(validateRequests(mux))))
}

// logRequests logs method, path and status; paths carry case IDs and codes, never personal data.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if r.URL.Path == "/healthz" {
			return
		}
		s.logger().Debug("http", "method", r.Method, "path", r.URL.Path, "status", rec.status, "took", time.Since(start).Round(time.Microsecond))
	})
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
