package app

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/client"

	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// NamespaceSpec is what kompeten needs of its namespace (temporal.namespace): the retention
// (temporal.retention) and every custom search attribute its workflows set or the API queries.
func NamespaceSpec(c *config.Config) temporalclient.NamespaceSpec {
	return temporalclient.NamespaceSpec{
		Name:             c.Temporal.Namespace,
		Retention:        c.Temporal.Retention,
		SearchAttributes: workflows.SearchAttributes(),
	}
}

// CheckNamespace is the start-up check of `serve` and `worker`: the namespace and every search
// attribute exist, else the error names what is missing and says to run `kompeten setup`.
func CheckNamespace(ctx context.Context, c *config.Config, tc client.Client) error {
	return temporalclient.CheckNamespace(ctx, tc, NamespaceSpec(c))
}

// OpenProductionStore opens database.url for `serve` and `worker`. With migrate (serve with
// database.migrate_on_start) pending migrations are applied first; otherwise a schema older
// than this binary's stops the start with what to run.
func OpenProductionStore(ctx context.Context, c *config.Config, migrate bool) (*store.Store, error) {
	if migrate {
		return OpenStore(ctx, c, c.Database.URL, true)
	}
	s, err := store.CheckSchema(ctx, c.Database.URL)
	if err != nil {
		return nil, fmt.Errorf("database.url %s: %w", config.MaskURL(c.Database.URL), err)
	}
	if s.Behind() {
		return nil, fmt.Errorf("the database schema at %s is at version %d, this kompeten needs %d: run `kompeten migrate` with the same database.url (or set database.migrate_on_start: true for kompeten serve)",
			config.MaskURL(c.Database.URL), s.Current, s.Latest)
	}
	return OpenStore(ctx, c, c.Database.URL, false)
}
