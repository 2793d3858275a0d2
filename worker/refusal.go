package worker

import (
	"errors"

	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// claimRefusal is the actor check's refusal of a message: the English sentence it always gave
// (the worker log of a refused signal and scripts read it), with the message code and
// parameters that word it from the catalogue (issue 15). A signal's refusal stays this plain
// error, written only to the worker log, so a signal's handling and the history are as before;
// an update's leaves as a coded ApplicationError (updateRefusal).
type claimRefusal struct {
	msg string
	workflows.RefusalDetails
}

// Error is the English sentence.
func (e *claimRefusal) Error() string { return e.msg }

// refuseClaim is a refusal worded msg in English and code with the parameters (name, value
// pairs) in the catalogue.
func refuseClaim(code, msg string, kv ...string) error {
	params := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		params[kv[i]] = kv[i+1]
	}
	return &claimRefusal{msg: msg, RefusalDetails: workflows.RefusalDetails{Code: code, Params: params}}
}

// updateRefusal is err as the caller of an update receives it: the shape of the journey's own
// coded refusals (a non-retryable ApplicationError of type workflows.ErrTypeRefusal with the
// code in its details), so starter reads the code with workflows.RefusalOf and the API and the
// pages word it in the reader's language. Validators do not run on replay, so the shape of
// this error never meets a recorded history.
func updateRefusal(err error) error {
	var c *claimRefusal
	if err == nil || !errors.As(err, &c) {
		return err
	}
	return temporal.NewApplicationErrorWithOptions(err.Error(), workflows.ErrTypeRefusal,
		temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{c.RefusalDetails}})
}
