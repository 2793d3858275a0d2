// Package activities holds the journey's side effects: reads and writes of the PostgreSQL
// store, and calls to the partners (BPJS Ketenagakerjaan and the LSPs) through their adapters.
// Activities take case IDs and NIK hashes, and read personal data from the store themselves, so
// no NIK or name enters workflow history. What each activity takes and returns is declared in
// package contract, which the workflows use; the activities map it to the store's rows.
package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Activities is registered with the worker; its methods are the journey's activities.
type Activities struct {
	Store *store.Store
	// Insurer is the BPJS adapter (nil when registrations go through the batch exchange).
	Insurer partners.Insurer
	// Certifier returns the adapter of one LSP by registry code.
	Certifier func(lspCode string) (partners.Certifier, error)
	// Contribution computes the monthly JKK + JKM fee.
	Contribution Contribution
	// Agreements configures the MoU and PKS activities (time zone, reminder webhook).
	Agreements AgreementOptions
	// Messages sends the trainees' messages; nil sends none (each is recorded skipped).
	Messages *Messenger
	Logger   *slog.Logger
}

// Contribution holds the BPU contribution rules from configuration.
type Contribution struct {
	DeclaredIncome int64
	JKKRate        float64
	JKKMin         int64
	JKM            int64
	MinMonthly     int64
}

// Monthly is JKK (a share of declared income, with a floor) plus JKM, with an overall floor.
func (c Contribution) Monthly() int64 {
	jkk := int64(float64(c.DeclaredIncome) * c.JKKRate)
	if jkk < c.JKKMin {
		jkk = c.JKKMin
	}
	total := jkk + c.JKM
	if total < c.MinMonthly {
		total = c.MinMonthly
	}
	return total
}

func (a *Activities) log(ctx context.Context) *slog.Logger {
	l := a.Logger
	if l == nil {
		l = slog.Default()
	}
	if activity.IsActivity(ctx) {
		info := activity.GetInfo(ctx)
		l = l.With("activity", info.ActivityType.Name, "attempt", info.Attempt)
	}
	return l
}

// partnerError turns an adapter error into what the workflow's retry policy expects: data
// errors become non-retryable, everything else is retried. Each failure is also written to the
// read model (attempt count and last error) for the stuck-case view.
func (a *Activities) partnerError(ctx context.Context, caseID, what string, err error) error {
	attempt := int32(1)
	if activity.IsActivity(ctx) {
		attempt = activity.GetInfo(ctx).Attempt
	}
	// Adapter errors already name the partner and the call ("bpjs: register: HTTP 503 ...").
	msg := err.Error()
	if rerr := a.Store.RecordAttempt(ctx, caseID, int(attempt), msg); rerr != nil {
		a.log(ctx).Warn("record partner attempt", "case", caseID, "error", rerr)
	}
	var de *partners.DataError
	if errors.As(err, &de) {
		return temporal.NewNonRetryableApplicationError(de.Message, contract.ErrTypeData, err)
	}
	a.log(ctx).Warn("partner call failed", "case", caseID, "call", what, "error", err)
	return fmt.Errorf("%s: %w", what, err)
}

// notFound is a missing record: retrying cannot help.
func notFound(what string, err error) error {
	return temporal.NewNonRetryableApplicationError(what+": "+err.Error(), contract.ErrTypeNotFound, err)
}
