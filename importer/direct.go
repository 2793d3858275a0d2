package importer

import (
	"context"
	"fmt"

	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// Direct enrols through a starter.Service in this process (benchmarks, tests, tools that run
// next to the database and Temporal).
type Direct struct {
	Svc         *starter.Service
	Concurrency int
}

// Enrol starts the batch with bounded concurrency.
func (d Direct) Enrol(ctx context.Context, packageCode string, people []starter.Person) ([]starter.EnrolResult, error) {
	pkg, err := d.Svc.Store.GetPackage(ctx, packageCode)
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", packageCode, err)
	}
	return d.Svc.EnrolMany(ctx, pkg, people, d.Concurrency), nil
}
