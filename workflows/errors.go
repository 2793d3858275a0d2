package workflows

import (
	"errors"

	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
)

func asApplicationError(err error, target **temporal.ApplicationError) bool {
	return errors.As(err, target)
}

// dataError reports whether an activity failed because the partner refused the data (a
// non-retryable DataError), with the partner's message.
func dataError(err error) (string, bool) {
	var app *temporal.ApplicationError
	if asApplicationError(err, &app) && app.Type() == contract.ErrTypeData {
		return app.Message(), true
	}
	return "", false
}
