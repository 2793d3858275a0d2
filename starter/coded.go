package starter

import (
	"fmt"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// CodedError is a refusal by the service's own checks (an agreement's or a package's, before
// any workflow sees it) with each problem as a message code and its parameters (issue 15), so
// the API and the pages word it in the reader's language. Err stays what it was, so its kind
// (store.ErrInvalid, store.ErrExists) and its English sentence, which the CLI and scripts read,
// do not change.
type CodedError struct {
	Err error
	// Coded words each problem, in the order of the English sentence.
	Coded []workflows.RefusalDetails
}

// Error is the English sentence.
func (e *CodedError) Error() string { return e.Err.Error() }

// Unwrap is the error's kind: errors.Is(err, store.ErrInvalid) holds as before.
func (e *CodedError) Unwrap() error { return e.Err }

// withCode is err with one problem's message code (name, value pairs).
func withCode(err error, code string, kv ...string) *CodedError {
	return &CodedError{Err: err, Coded: []workflows.RefusalDetails{problemCode(code, kv...)}}
}

// problemList gathers the problems of a request: each an English sentence and, in the same
// order, its message code.
type problemList struct {
	english []string
	coded   []workflows.RefusalDetails
}

// add is one problem worded en in English and code with its parameters (name, value pairs).
func (p *problemList) add(code, en string, kv ...string) {
	p.english = append(p.english, en)
	p.coded = append(p.coded, problemCode(code, kv...))
}

// addAll appends the problems of o.
func (p *problemList) addAll(o problemList) {
	p.english = append(p.english, o.english...)
	p.coded = append(p.coded, o.coded...)
}

// empty says there is no problem.
func (p problemList) empty() bool { return len(p.english) == 0 }

// err is the problems as one CodedError: "<prefix>: <problems>: <kind>", kind wrapped.
func (p problemList) err(prefix string, kind error) error {
	return &CodedError{Err: fmt.Errorf("%s: %s: %w", prefix, strings.Join(p.english, "; "), kind), Coded: p.coded}
}
