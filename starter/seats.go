package starter

import (
	"context"
	"fmt"

	"github.com/bpvp-sidoarjo/kompeten/activities"
)

// SetCapacity changes a package's capacity (never below the seats taken) and, when it grows,
// seats the waiting cases in order and tells their journeys. A notice that fails is reported;
// the seat is kept, and the next change or freed seat sends the notice again.
func (s *Service) SetCapacity(ctx context.Context, code string, capacity int) (CapacityChange, error) {
	out := CapacityChange{MovedIn: []string{}}
	if _, err := s.Store.SetCapacity(ctx, code, capacity); err != nil {
		return out, err
	}
	send := func(ctx context.Context, workflowID, name string, arg any) error {
		signed, err := s.signed(workflowID, name, arg)
		if err != nil {
			return err
		}
		return s.Temporal.SignalWorkflow(ctx, workflowID, "", name, signed)
	}
	told, err := activities.NotifySeated(ctx, s.Store, code, send)
	out.MovedIn = append(out.MovedIn, told...)
	if err != nil {
		return out, fmt.Errorf("capacity of %s set to %d, but: %w", code, capacity, err)
	}
	out.Package, err = s.Store.GetPackage(ctx, code)
	return out, err
}
