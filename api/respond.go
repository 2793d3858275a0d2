package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// ErrorBody is every error response: a sentence a person can act on.
type ErrorBody struct {
	Error string `json:"error"`
	// Message is the error worded from the message catalogue in the language the request's
	// Accept-Language header prefers (Indonesian by default), for the person who reads it; every
	// error the API answers carries one (the command line prints it). Error stays the English
	// sentence it always was, for scripts.
	Message string `json:"message,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// writeError answers status with two wordings of one error: Error is the English sentence
// format and args make (scripts and the command line match on it), Message is m worded in the
// request's language (the pages and people read it).
func writeError(w http.ResponseWriter, r *http.Request, status int, m words, format string, args ...any) {
	writeJSON(w, status, ErrorBody{Error: fmt.Sprintf(format, args...), Message: m.in(readerOf(r))})
}

// fail maps domain errors onto status codes: unknown → 404, refused/invalid → 422,
// conflicting (a step on a closed case included) → 409, anything else → 500 with a generic sentence (the detail goes to the log).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.failure(r, err)
	writeJSON(w, status, ErrorBody{Error: msg, Message: failureWords(r, status, msg, refusalCodes(err)...)})
}

// failureWords words a failure for a person in the request's language: its kind from the
// status, and the detail from the refusal's catalogue codes when it has them (so no English
// sentence sits inside an Indonesian message), else the sentence behind it.
func failureWords(r *http.Request, status int, msg string, codes ...workflows.RefusalDetails) string {
	rd := requestReader(r)
	if len(codes) > 0 {
		msg = refusalText(rd, codes)
	}
	switch status {
	case http.StatusNotFound:
		return rd.Tf("api.not-found", "detail", msg)
	case http.StatusConflict:
		return rd.Tf("api.conflict", "detail", msg)
	case http.StatusUnprocessableEntity:
		return rd.Tf("api.refused", "detail", msg)
	case http.StatusInternalServerError:
		return rd.T("api.failed", nil)
	}
	return msg
}

// requestReader words messages in the language the request's Accept-Language prefers.
func requestReader(r *http.Request) i18n.Reader {
	return i18n.For(i18n.FromAcceptLanguage(r.Header.Get("Accept-Language")), nil)
}

// refusalText words refusals from their catalogue codes, several joined as one sentence.
func refusalText(rd i18n.Reader, codes []workflows.RefusalDetails) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = rd.T(c.Code, c.Params)
	}
	return strings.Join(parts, "; ")
}

// refusalCodes are the catalogue codes of a refusal (one, or one per problem of an invalid
// request), or none when the error carries none: a refusal by an older worker, or a failure
// the catalogue does not word yet, keeps its sentence.
func refusalCodes(err error) []workflows.RefusalDetails {
	var refused *starter.RefusedError
	var closed *starter.ClosedError
	var invalid *starter.InvalidRequestError
	var full *starter.FullError
	var below *store.CapacityBelowTakenError
	var codedErr *starter.CodedError
	var dependents *starter.DependentsError
	one := func(code string, params map[string]string) []workflows.RefusalDetails {
		if code == "" {
			return nil
		}
		return []workflows.RefusalDetails{{Code: code, Params: params}}
	}
	switch {
	case errors.As(err, &full):
		return one(full.Code, full.Params)
	case errors.As(err, &refused):
		return one(refused.Code, refused.Params)
	case errors.As(err, &closed):
		return one(closed.Code, closed.Params)
	case errors.As(err, &invalid):
		if len(invalid.Coded) > 0 && len(invalid.Coded) == len(invalid.Problems) {
			return invalid.Coded
		}
		return one(invalid.Code, invalid.Params)
	case errors.As(err, &codedErr):
		return codedErr.Coded
	case errors.As(err, &dependents):
		return []workflows.RefusalDetails{dependents.Refusal()}
	case errors.As(err, &below):
		return one("refusal.package-capacity-below", map[string]string{"capacity": strconv.Itoa(below.Capacity), "taken": strconv.Itoa(below.Taken)})
	}
	return nil
}

// failure is the status and sentence fail answers for err (a bulk decision reports them per case).
func (s *Server) failure(r *http.Request, err error) (int, string) {
	var refused *starter.RefusedError
	var closed *starter.ClosedError
	var dependents *starter.DependentsError
	var invalid *starter.InvalidRequestError
	var full *starter.FullError
	switch {
	case errors.As(err, &full):
		return http.StatusConflict, full.Reason
	case errors.As(err, &refused):
		return http.StatusUnprocessableEntity, refused.Reason
	case errors.As(err, &closed):
		return http.StatusConflict, closed.Error()
	case errors.As(err, &invalid):
		return http.StatusUnprocessableEntity, invalid.Error()
	case errors.As(err, &dependents):
		return http.StatusConflict, dependents.Error()
	case errors.Is(err, store.ErrNotFound), errors.Is(err, starter.ErrCaseNotFound):
		return http.StatusNotFound, err.Error()
	case errors.Is(err, store.ErrInvalid):
		return http.StatusUnprocessableEntity, err.Error()
	case errors.Is(err, store.ErrExists):
		return http.StatusConflict, err.Error()
	default:
		s.logger().Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
		return http.StatusInternalServerError, "internal error; see the server log"
	}
}

// decode reads a JSON body strictly: size-capped, unknown fields refused, one value only.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		// Exactly application/json, with optional parameters (charset): not application/jsonx.
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			writeError(w, r, http.StatusUnsupportedMediaType, say("api.content-type", "type", ct), "send application/json, not %q", ct)
			return false
		}
	}
	body := http.MaxBytesReader(w, r.Body, maxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, r, http.StatusRequestEntityTooLarge, say("api.too-large", "limit", strconv.Itoa(maxBody)), "request body larger than %d bytes", maxBody)
			return false
		}
		writeError(w, r, http.StatusBadRequest, jsonWords(err), "invalid JSON body: %v", err)
		return false
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		writeError(w, r, http.StatusBadRequest, say("api.json-trailing"), "invalid JSON body: more than one value")
		return false
	}
	return true
}
