package apiclient

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/api"
)

// Code says what kind of refusal or failure an Error is, for programs: the API's statuses as
// api/openapi.yaml describes them (its info.description lists what each means).
type Code string

// The codes, one per status the API answers with.
const (
	CodeInvalid      Code = "invalid"      // 400: a malformed request (bad JSON, a bad query parameter)
	CodeUnauthorized Code = "unauthorized" // 401: no token, or an unknown or revoked one
	CodeForbidden    Code = "forbidden"    // 403: the token's role or scope does not allow it
	CodeNotFound     Code = "not-found"    // 404: no such case, package or agreement (or out of scope)
	CodeConflict     Code = "conflict"     // 409: it clashes with what exists (or nothing to retry)
	CodeTooLarge     Code = "too-large"    // 413: the body is larger than the API takes
	CodeMediaType    Code = "media-type"   // 415: a body that is not JSON where JSON is needed
	CodeRefused      Code = "refused"      // 422: the journey or a rule refused it, in its own words
	CodeUnavailable  Code = "unavailable"  // 503: a dependency is down (the health check)
	CodeInternal     Code = "internal"     // 500 and any other 5xx: see the server log
	CodeOther        Code = "unexpected"   // any other status
)

// codeOf is the Code of an HTTP status.
func codeOf(status int) Code {
	switch status {
	case http.StatusBadRequest:
		return CodeInvalid
	case http.StatusUnauthorized:
		return CodeUnauthorized
	case http.StatusForbidden:
		return CodeForbidden
	case http.StatusNotFound:
		return CodeNotFound
	case http.StatusConflict:
		return CodeConflict
	case http.StatusRequestEntityTooLarge:
		return CodeTooLarge
	case http.StatusUnsupportedMediaType:
		return CodeMediaType
	case http.StatusUnprocessableEntity:
		return CodeRefused
	case http.StatusServiceUnavailable:
		return CodeUnavailable
	}
	if status >= 500 {
		return CodeInternal
	}
	return CodeOther
}

// Error is an answer of the API other than 2xx. Its text is the server's sentence, as the
// command line and the pages show it to people.
type Error struct {
	// Status is the HTTP status.
	Status int
	// Code is what kind of refusal or failure it is.
	Code Code
	// Message is the server's words (api.ErrorBody); when the answer carried none, "HTTP
	// <status>: <body>".
	Message string
	// Words is the answer's message in the language the request asked for (WithLanguage), when
	// the server worded one; empty otherwise.
	Words string
}

// Say is the error for a person: the server's words in the asked language, else Message.
func (e *Error) Say() string {
	if e.Words != "" {
		return e.Words
	}
	return e.Message
}

func (e *Error) Error() string { return e.Message }

// errorOf reads the API's error body (api.ErrorBody) from a non-2xx answer.
func errorOf(status int, body []byte) *Error {
	e := &Error{Status: status, Code: codeOf(status)}
	var eb api.ErrorBody
	if json.Unmarshal(body, &eb) == nil && eb.Error != "" {
		e.Message, e.Words = eb.Error, eb.Message
		return e
	}
	e.Message = fmt.Sprintf("HTTP %d", status)
	if b := strings.TrimSpace(string(body)); b != "" {
		e.Message += ": " + b
	}
	return e
}
