package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// StuckCase is one stuck case as a person needs it: why in words, since when, the partner's
// attempts and last error, and who can unblock it.
type StuckCase struct {
	CaseID    string      `json:"case_id"`
	Package   string      `json:"package"`
	Centre    string      `json:"centre"`
	LSP       string      `json:"lsp"`
	Stage     vocab.Stage `json:"stage"`
	WaitingOn vocab.Party `json:"waiting_on,omitempty"`
	// Reason is the stuck code (see GET /api/v1/stuck/reasons); Why is the sentence.
	Reason vocab.Reason `json:"reason"`
	Why    string       `json:"why"`
	// WhyMessage and WhyParams are the sentence as a message of the catalogue (package i18n)
	// with its parameters, for cases marked stuck since the journey records them; the pages
	// word it in the reader's language.
	WhyMessage string            `json:"why_message,omitempty"`
	WhyParams  map[string]string `json:"why_params,omitempty"`
	StuckSince time.Time         `json:"stuck_since"`
	AgeSeconds int64             `json:"age_seconds"`
	Attempts   int               `json:"attempts,omitempty"`
	LastError  string            `json:"last_error,omitempty"`
	// Unblock is who can move the case on (the role an escalation notifies).
	Unblock workflows.Unblocker `json:"unblock"`
	// Retryable says a partner call is failing, so "retry now" can help. An LSP's refusal is
	// not: a person's way out ends it (Refusal).
	Retryable bool `json:"retryable"`
	// Refusal says the LSP refused the assessment request or the certificate: the case waits
	// for POST /api/v1/cases/{id}/retry-refused, /order-reassessment or /close-uncertified.
	Refusal     bool       `json:"refusal,omitempty"`
	EscalatedAt *time.Time `json:"escalated_at,omitempty"`
	EscalatedTo vocab.Role `json:"escalated_to,omitempty"`
	// Person is whose case it is, when the caller's role may see it.
	Person *store.Person `json:"person,omitempty"`
}

// StuckList is one page of stuck cases, the longest stuck first.
type StuckList struct {
	Total       int         `json:"total"`
	Limit       int         `json:"limit"`
	Offset      int         `json:"offset"`
	GeneratedAt time.Time   `json:"generated_at"`
	Cases       []StuckCase `json:"cases"`
}

// stuckCaseOf turns a read-model row into the stuck view at time now.
func stuckCaseOf(c store.Case, now time.Time) StuckCase {
	sc := StuckCase{
		CaseID: c.CaseID, Package: c.PackageCode, Centre: c.CentreCode, LSP: c.LSPCode, Stage: c.Stage,
		WaitingOn: c.WaitingOn, Reason: c.StuckCode, Why: c.StuckReason, Attempts: c.Attempts, LastError: c.LastError,
		WhyMessage: c.StuckMessage, WhyParams: c.StuckParams,
		Unblock:   workflows.WhoUnblocks(c.StuckCode, c.WaitingOn, c.CentreCode, c.LSPCode),
		Retryable: c.StuckCode == vocab.StuckPartnerFailing || c.Attempts > 0,
		Refusal:   slices.Contains(vocab.Refusals, c.StuckCode),
		Person:    c.Person,
	}
	if sc.Refusal {
		// The reason already holds the LSP's words; its one refused call is not a failing one.
		sc.Retryable = false
	}
	if c.StuckSince != nil {
		sc.StuckSince = *c.StuckSince
		sc.AgeSeconds = int64(now.Sub(*c.StuckSince) / time.Second)
	}
	if c.Attempts > 0 && !sc.Refusal {
		sc.Why += fmt.Sprintf(": %d failed attempts, last error %s", c.Attempts, c.LastError)
	}
	// An escalation made before the case got stuck this time is about an earlier wait.
	if c.EscalatedAt != nil && c.StuckSince != nil && !c.EscalatedAt.Before(*c.StuckSince) {
		sc.EscalatedAt, sc.EscalatedTo = c.EscalatedAt, c.EscalatedTo
	}
	return sc
}

// stuckExportHeader are the columns of a stuck list export.
var stuckExportHeader = []string{"case_id", "centre", "lsp", "package", "stage", "reason", "why",
	"stuck_since", "age_hours", "attempts", "last_error", "unblock_role", "unblock_scope", "escalated_to", "escalated_at",
	"name", "nik_masked", "age", "phone"}

// stuckRows renders stuck cases as export rows.
func (s *Server) stuckRows(r *http.Request, format string, cs []store.Case, now time.Time) [][]string {
	at, atp := s.timeCells(r, format)
	rows := make([][]string, 0, len(cs))
	for _, sc := range cs {
		c := stuckCaseOf(sc, now)
		rows = append(rows, append([]string{c.CaseID, c.Centre, c.LSP, c.Package, string(c.Stage), string(c.Reason), c.Why,
			at(c.StuckSince), strconv.FormatInt(c.AgeSeconds/3600, 10), strconv.Itoa(c.Attempts),
			c.LastError, string(c.Unblock.Role), c.Unblock.Scope, string(c.EscalatedTo), atp(c.EscalatedAt)}, personCells(c.Person)...))
	}
	return rows
}

// streamStuck exports every stuck case matching f, a batch at a time (streamTable).
func (s *Server) streamStuck(w http.ResponseWriter, r *http.Request, format string, f store.StuckFilter) {
	now := time.Now()
	f.Limit = exportBatch
	first := true
	s.streamTable(w, r, format, "kasus-macet-stuck", stuckExportHeader, func(emit func([][]string) error) error {
		for {
			page, err := s.Store.StuckCases(r.Context(), f)
			if err == nil {
				err = s.attachPeople(r.Context(), page.Cases)
			}
			if err != nil {
				return fmt.Errorf("stuck cases from %d: %w", f.Offset, err)
			}
			if first {
				w.Header().Set("X-Total-Count", strconv.Itoa(page.Total))
				first = false
			}
			if err := emit(s.stuckRows(r, format, page.Cases, now)); err != nil {
				return err
			}
			if len(page.Cases) < exportBatch {
				return nil
			}
			f.Offset += len(page.Cases)
		}
	})
}

// listStuck lists the stuck cases in the caller's read scope (see readScope), as JSON or CSV.
func (s *Server) listStuck(w http.ResponseWriter, r *http.Request) {
	format, ok := listFormat(w, r, "csv", "xlsx")
	if !ok {
		return
	}
	q := r.URL.Query()
	scope, ok := scopedFilter(w, r, q.Get("centre"), q.Get("lsp"))
	if !ok {
		return
	}
	f := store.StuckFilter{Scope: scope, CentreCode: q.Get("centre"), LSPCode: q.Get("lsp")}
	if f.Stage, ok = oneOf(w, r, "stage", vocab.Stages); !ok {
		return
	}
	if f.Reason, ok = oneOf(w, r, "reason", vocab.Reasons); !ok {
		return
	}
	maxLimit := 1000
	if format != "json" {
		maxLimit = 100000 // an export takes everything at once
	}
	if f.Limit, ok = intParam(w, r, "limit", 100, 1, maxLimit); !ok {
		return
	}
	if f.Offset, ok = intParam(w, r, "offset", 0, 0, 1<<30); !ok {
		return
	}
	if format != "json" && q.Get("limit") == "" {
		s.streamStuck(w, r, format, f) // an export takes every stuck case in scope, however many
		return
	}
	page, err := s.Store.StuckCases(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.attachPeople(r.Context(), page.Cases); err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now()
	out := StuckList{Total: page.Total, Limit: f.Limit, Offset: f.Offset, GeneratedAt: now, Cases: make([]StuckCase, 0, len(page.Cases))}
	for _, c := range page.Cases {
		out.Cases = append(out.Cases, stuckCaseOf(c, now))
	}
	if format != "json" {
		s.writeTable(w, r, format, "kasus-macet-stuck", stuckExportHeader, s.stuckRows(r, format, page.Cases, now))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// StuckReason describes one stuck code for filters and help texts.
type StuckReason struct {
	Code vocab.Reason `json:"code"`
	// Label is English; LabelID is Indonesian.
	Label   string `json:"label"`
	LabelID string `json:"label_id"`
}

// StuckReasons are the stuck codes with their labels, in the order of the path.
var StuckReasons = func() []StuckReason {
	out := make([]StuckReason, len(vocab.Reasons))
	for i, r := range vocab.Reasons {
		out[i] = StuckReason{Code: r, Label: r.Label().EN, LabelID: r.Label().ID}
	}
	return out
}()

func (s *Server) stuckReasons(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, StuckReasons)
}
