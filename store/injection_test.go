package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Every filter reaches PostgreSQL as a bind parameter, never as SQL text: classic injection
// strings match nothing (they are compared as values), raise no SQL error, and the tables and
// rows are all still there afterwards.
func TestFiltersAreParameters(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	must(t, st.UpsertCase(ctx, newCase("A", "P1", "h1", 1)))
	attacks := []string{
		"' OR '1'='1",
		"BLK-SBY' OR 1=1 --",
		"x'; DROP TABLE cases; --",
		"x\\'; DELETE FROM cases; --",
		"' UNION SELECT * FROM participants --",
		"%", "_", "P1%",
		"\x00",
	}
	for _, a := range attacks {
		for name, f := range map[string]store.CaseFilter{
			"package": {PackageCode: a}, "centre": {CentreCode: a}, "lsp": {LSPCode: a},
			"stage": {Stage: vocab.Stage(a)}, "status": {Status: a},
		} {
			cs, err := st.ListCases(ctx, f)
			if a == "\x00" {
				// PostgreSQL refuses a NUL byte in text: an error, never a match or a change.
				if err == nil && len(cs) > 0 {
					t.Errorf("%s=%q matched %d cases", name, a, len(cs))
				}
				continue
			}
			if err != nil {
				t.Errorf("%s=%q: %v", name, a, err)
			}
			if len(cs) != 0 {
				t.Errorf("%s=%q matched %d cases, want none", name, a, len(cs))
			}
			if _, err := st.CasesByNIKHash(ctx, a); err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Errorf("nik hash %q: %v", a, err)
			}
		}
	}
	n, err := st.CountCases(ctx, store.CaseFilter{})
	must(t, err)
	if n != 1 {
		t.Fatalf("after the attacks %d cases remain, want 1", n)
	}
}
