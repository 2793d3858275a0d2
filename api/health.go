package api

import (
	"context"
	"net/http"
	"sort"
	"time"
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

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	h := Health{Status: "ok", Components: map[string]ComponentHealth{}}
	names := make([]string, 0, len(s.Checks))
	for n := range s.Checks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := s.Checks[n](ctx); err != nil {
			h.Status = "degraded"
			h.Components[n] = ComponentHealth{Status: "down", Error: err.Error()}
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
