package app_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/app"
)

func probe(t *testing.T, mux *http.ServeMux, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Code, rec.Body.String()
}

// Liveness never asks a dependency; readiness does, and turns 503 once the process drains.
func TestProbes(t *testing.T) {
	var pgErr error
	p := app.NewProbes(map[string]api.Checker{
		"postgres": func(context.Context) error { return pgErr },
		"temporal": func(context.Context) error { return nil },
	})
	mux := http.NewServeMux()
	p.Register(mux)

	if code, body := probe(t, mux, "/readyz"); code != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("/readyz with everything up: %d %s", code, body)
	}
	pgErr = errors.New("connection refused")
	if code, body := probe(t, mux, "/readyz"); code != 503 || !strings.Contains(body, `"postgres":{"status":"down","error":"connection refused"}`) {
		t.Fatalf("/readyz with PostgreSQL down: %d %s", code, body)
	}
	if code, body := probe(t, mux, "/livez"); code != 200 {
		t.Fatalf("/livez with PostgreSQL down: %d %s, want 200 (a restart would not help)", code, body)
	}
	pgErr = nil
	p.Drain()
	if code, body := probe(t, mux, "/readyz"); code != 503 || !strings.Contains(body, `"status":"draining"`) {
		t.Fatalf("/readyz while draining: %d %s", code, body)
	}
	if code, _ := probe(t, mux, "/livez"); code != 200 {
		t.Fatalf("/livez while draining: %d, want 200", code)
	}
}
