package workflows

import (
	"errors"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// ErrTypeRefusal is the type of the error an update's validator refuses with when the refusal
// has a message code: its details are a RefusalDetails, so that the API and the pages word the
// refusal from the message catalogue in the reader's language (issue 15). The error's message
// stays the English sentence it always was: scripts and the case's histories keep reading it.
const ErrTypeRefusal = "kompeten.refusal"

// RefusalDetails is a refusal's message code in the catalogue (i18n/messages) and its
// parameters, as the message names them.
type RefusalDetails struct {
	Code   string            `json:"code"`
	Params map[string]string `json:"params,omitempty"`
}

// codedRefusal is a validator's refusal: the English sentence, with the code and parameters
// that word it in any language. It stays a plain error inside the journey (a signal's refusal
// records Error(), the sentence, as before); coded turns it into an ApplicationError only on
// the way out to the caller of an update.
type codedRefusal struct {
	msg string
	RefusalDetails
}

// Error is the English sentence.
func (e *codedRefusal) Error() string { return e.msg }

// refusal is a refusal worded msg in English and code with the parameters (name, value pairs)
// in the catalogue.
func refusal(code, msg string, kv ...string) error {
	params := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		params[kv[i]] = kv[i+1]
	}
	return &codedRefusal{msg: msg, RefusalDetails: RefusalDetails{Code: code, Params: params}}
}

// codes lists vocabulary values for a message parameter formatted as a list ("{allowed|role*}").
func codes[T ~string](vs []T) string {
	return strings.Join(vocab.Strings(vs), ",")
}

// refusalError is err as the caller of an update receives it: a coded refusal becomes a
// non-retryable ApplicationError of type ErrTypeRefusal with the English sentence as its
// message and the code in its details; any other error is left as it is.
func refusalError(err error) error {
	var c *codedRefusal
	if err == nil || !errors.As(err, &c) {
		return err
	}
	return temporal.NewApplicationErrorWithOptions(err.Error(), ErrTypeRefusal,
		temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{c.RefusalDetails}})
}

// coded wraps an update's validator so that its coded refusals reach the caller with their
// codes (refusalError). The journey's own calls of the validator (signals) use it unwrapped.
func coded[T any](validate func(T) error) func(T) error {
	return func(arg T) error { return refusalError(validate(arg)) }
}

// RefusalOf finds the code and parameters of a refusal an update came back with; ok is false
// for an error that carries none (a refusal of an older worker, an outage).
func RefusalOf(err error) (RefusalDetails, bool) {
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || !app.HasDetails() {
		return RefusalDetails{}, false
	}
	if app.Type() != ErrTypeRefusal && app.Type() != ErrTypePackageFull {
		return RefusalDetails{}, false
	}
	var d RefusalDetails
	if app.Details(&d) != nil || d.Code == "" {
		return RefusalDetails{}, false
	}
	return d, true
}

// actionCode is the message code suffix of a step a refusal names ("decide enrolment" →
// "decide-enrolment", worded by the catalogue's "action.decide-enrolment").
func actionCode(action string) string { return strings.ReplaceAll(action, " ", "-") }

// numberKind is the code suffix of the number a conflict is about.
func numberKind(what string) string {
	if what == "KPJ" {
		return "kpj"
	}
	return "certificate"
}

// codedCtx is coded for a validator that reads the workflow's context (the agreement's
// validators compare dates with today).
func codedCtx[T any](validate func(workflow.Context, T) error) func(workflow.Context, T) error {
	return func(ctx workflow.Context, arg T) error { return refusalError(validate(ctx, arg)) }
}
