package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// LoadSchemeUnits reads a scheme's units of competence (seeded from the registry). A scheme
// the store does not know, or one without units, is Found=false: the journey waits for the
// coordinator to add the units rather than failing.
func (a *Activities) LoadSchemeUnits(ctx context.Context, in contract.SchemeQuery) (contract.SchemeUnits, error) {
	sc, err := a.Store.GetScheme(ctx, in.Scheme)
	if errors.Is(err, store.ErrNotFound) {
		return contract.SchemeUnits{}, nil
	}
	if err != nil {
		return contract.SchemeUnits{}, fmt.Errorf("units of scheme %s for case %s: %w", in.Scheme, in.CaseID, err)
	}
	units := sc.UnitCodes()
	return contract.SchemeUnits{Found: len(units) > 0, Units: units, Sample: sc.Sample}, nil
}
