package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// ErrorBody is every error response: a sentence a person can act on.
type ErrorBody struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, ErrorBody{Error: fmt.Sprintf(format, args...)})
}

// fail maps domain errors onto status codes: unknown → 404, refused/invalid → 422,
// conflicting (a step on a closed case included) → 409, anything else → 500 with a generic sentence (the detail goes to the log).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var refused *starter.RefusedError
	var closed *starter.ClosedError
	var dependents *starter.DependentsError
	var invalid *starter.InvalidRequestError
	var full *starter.FullError
	switch {
	case errors.As(err, &full):
		writeError(w, http.StatusConflict, "%s", full.Reason)
	case errors.As(err, &refused):
		writeError(w, http.StatusUnprocessableEntity, "%s", refused.Reason)
	case errors.As(err, &closed):
		writeError(w, http.StatusConflict, "%s", closed.Error())
	case errors.As(err, &invalid):
		writeError(w, http.StatusUnprocessableEntity, "%s", invalid.Error())
	case errors.As(err, &dependents):
		writeError(w, http.StatusConflict, "%s", dependents.Error())
	case errors.Is(err, store.ErrNotFound), errors.Is(err, starter.ErrCaseNotFound):
		writeError(w, http.StatusNotFound, "%v", err)
	case errors.Is(err, store.ErrInvalid):
		writeError(w, http.StatusUnprocessableEntity, "%v", err)
	case errors.Is(err, store.ErrExists):
		writeError(w, http.StatusConflict, "%v", err)
	default:
		s.logger().Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
		writeError(w, http.StatusInternalServerError, "internal error; see the server log")
	}
}

// decode reads a JSON body strictly: size-capped, unknown fields refused, one value only.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		// Exactly application/json, with optional parameters (charset): not application/jsonx.
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "send application/json, not %q", ct)
			return false
		}
	}
	body := http.MaxBytesReader(w, r.Body, maxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "request body larger than %d bytes", maxBody)
			return false
		}
		writeError(w, http.StatusBadRequest, "invalid JSON body: %v", err)
		return false
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		writeError(w, http.StatusBadRequest, "invalid JSON body: more than one value")
		return false
	}
	return true
}
