package api

import (
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// opsRoutes adds the operations endpoints behind the pages and `kompeten stuck`: the stuck
// list and its actions, the overview, the approvals inbox, the live workflow view of a case,
// the tracer-study report, the doctor, and the OpenAPI description of the whole API.
func (s *Server) opsRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/stuck", s.listStuck)
	mux.HandleFunc("GET /api/v1/stuck/reasons", s.stuckReasons)
	mux.HandleFunc("GET /api/v1/overview", s.overview)
	mux.HandleFunc("GET /api/v1/inbox", s.inbox)
	mux.HandleFunc("GET /api/v1/cases/{id}/workflow", s.caseWorkflow)
	mux.HandleFunc("POST /api/v1/cases/{id}/retry", s.retryCase)
	mux.HandleFunc("POST /api/v1/cases/{id}/escalate", s.escalateCase)
	mux.HandleFunc("GET /api/v1/reports/tracer-study", s.tracerStudy)
	mux.HandleFunc("POST /api/v1/doctor", s.doctor)
	mux.HandleFunc("GET /api/openapi.yaml", s.openAPI)
}

// listFormat reads ?format=: json (the default), csv, and for reports xlsx.
func listFormat(w http.ResponseWriter, r *http.Request, allowed ...string) (string, bool) {
	f := r.URL.Query().Get("format")
	if f == "" {
		return "json", true
	}
	if f == "json" || slices.Contains(allowed, f) {
		return f, true
	}
	writeError(w, r, http.StatusBadRequest, say("api.bad-choice", "name", "format", "values", strings.Join(append([]string{"json"}, allowed...), ", "), "value", f),
		"format must be json or %v, got %q", allowed, f)
	return "", false
}

// writeCSV sends rows as a plain CSV download (comma, no BOM) named name-YYYYMMDD-HHMM.csv.
func writeCSV(w http.ResponseWriter, name string, header []string, rows [][]string) {
	writeCSVDialect(w, name, header, rows, ',', false)
}

// writeCSVDialect sends rows as CSV with sep between fields, after a UTF-8 byte order mark when
// bom is set (Excel reads the file as UTF-8 only with it).
func writeCSVDialect(w http.ResponseWriter, name string, header []string, rows [][]string, sep rune, bom bool) {
	cw := startCSV(w, name, header, sep, bom)
	_ = cw.WriteAll(rows)
}

// startCSV sends the headers of a CSV download and its header row, and returns the writer for
// the rows.
func startCSV(w http.ResponseWriter, name string, header []string, sep rune, bom bool) *csv.Writer {
	// The name may carry a case ID from the path: keep only what is safe in a header.
	name = safeFileName(name)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, name, time.Now().Format("20060102-1504")))
	if bom {
		_, _ = io.WriteString(w, "\uFEFF")
	}
	cw := csv.NewWriter(w)
	cw.Comma = sep
	_ = cw.Write(header)
	return cw
}

// intParam reads an optional whole-number query parameter within [lo, hi].
func intParam(w http.ResponseWriter, r *http.Request, name string, def, lo, hi int) (int, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		writeError(w, r, http.StatusBadRequest, say("api.bad-number", "name", name, "min", strconv.Itoa(lo), "max", strconv.Itoa(hi)), "%s must be a number between %d and %d", name, lo, hi)
		return 0, false
	}
	return n, true
}

// oneOf checks an optional query parameter against the values it may take.
func oneOf[T ~string](w http.ResponseWriter, r *http.Request, name string, values []T) (T, bool) {
	v := T(r.URL.Query().Get(name))
	if v == "" || slices.Contains(values, v) {
		return v, true
	}
	choices := make([]string, len(values))
	for i, c := range values {
		choices[i] = string(c)
	}
	writeError(w, r, http.StatusBadRequest, say("api.bad-choice", "name", name, "values", strings.Join(choices, ", "), "value", string(v)),
		"%s must be one of %v, got %q", name, values, v)
	return "", false
}

// actorRoles are the people who may retry or escalate (everyone but a partner system).
var actorRoles = []vocab.Role{vocab.RoleOperator, vocab.RoleCoordinator, vocab.RoleCentreAdmin,
	vocab.RoleLSPManager, vocab.RoleAssessor, vocab.RoleInsurerLiaison}

// checkActor refuses an action without a person behind it.
func checkActor(w http.ResponseWriter, r *http.Request, a workflows.Actor) bool {
	if a.ID == "" {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.actor-required"), "actor.id is required: say who does this")
		return false
	}
	if !slices.Contains(actorRoles, a.Role) {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.bad-choice", "name", "actor.role", "values", strings.Join(vocab.Strings(actorRoles), ", "), "value", string(a.Role)),
			"actor.role must be one of %v, got %q", actorRoles, a.Role)
		return false
	}
	return true
}

// opsEvent is an entry the API writes to a case's event log. Its key cannot collide with the
// journey's numbered keys, and a retried request writes a second entry, which is the truth.
func opsEvent(c store.Case, kind, detail string, a workflows.Actor, at time.Time) store.Event {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return store.Event{
		CaseID: c.CaseID, Key: fmt.Sprintf("ops-%d-%s", at.UnixNano(), hex.EncodeToString(b[:])),
		Kind: kind, Stage: c.Stage, ActorID: a.ID, ActorRole: a.Role, Detail: detail, At: at,
	}
}
