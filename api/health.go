package api

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Health is the /healthz answer.
type Health struct {
	Status     string                     `json:"status"` // ok | degraded
	Components map[string]ComponentHealth `json:"components"`
}

// ComponentHealth is one dependency's state.
type ComponentHealth struct {
	Status string `json:"status"` // up | down
	Error  string `json:"error,omitempty"`
}

// hiddenDetail replaces a failing check's error for a caller who is not an operator or a
// coordinator: the error names the database's user, name and port.
const hiddenDetail = "down; an operator's or coordinator's token (Authorization: Bearer) shows why, and the server log has it"

// health runs every check. It is public, for load balancers; the errors of failing checks
// (which name hosts, ports, database users) go only to an operator's or coordinator's token,
// and always to the log.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	details := s.mayReadHealthDetails(r)
	h := Health{Status: "ok", Components: map[string]ComponentHealth{}}
	names := make([]string, 0, len(s.Checks))
	for n := range s.Checks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := s.Checks[n](ctx); err != nil {
			h.Status = "degraded"
			s.logger().Warn("health check failed", "component", n, "error", err)
			msg := hiddenDetail
			if details {
				msg = err.Error()
			}
			h.Components[n] = ComponentHealth{Status: "down", Error: msg}
			continue
		}
		h.Components[n] = ComponentHealth{Status: "up"}
	}
	status := http.StatusOK
	if h.Status != "ok" {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, h)
}

// mayReadHealthDetails says whether the caller sees why a check failed: without token checks
// (handler tests) anyone, else a valid token of an operator or a coordinator.
func (s *Server) mayReadHealthDetails(r *http.Request) bool {
	if s.Tokens == nil {
		return true
	}
	id, ok := IdentityFrom(r.Context())
	if !ok {
		raw, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !found || strings.TrimSpace(raw) == "" {
			return false
		}
		var err error
		if id, err = s.Tokens(r.Context(), auth.HashToken(raw)); err != nil {
			return false // unknown, revoked, or the store is down: no details
		}
	}
	return id.Role == vocab.RoleOperator || id.Role == vocab.RoleCoordinator
}
