package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// A Scope keeps only the cases of its centres or LSPs, in every read that takes one, combined
// with the other filters; an empty non-nil scope reads nothing, a nil one everything.
func TestScopeNarrowsEveryRead(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	grad := opsT0
	mk := func(id, centre, lsp string, stuckH int, waiting vocab.Party) store.Case {
		c := newCase(id, "P1", "h-"+id, 1)
		c.CentreCode, c.LSPCode = centre, lsp
		if stuckH > 0 {
			c = stuckCase(id, centre, lsp, "enrolment", "approval-overdue", waiting, stuckH)
		}
		c.WaitingOn = waiting
		c.Milestones = store.Milestones{Enrolled: true, Graduated: true, GraduatedOn: &grad}
		return c
	}
	for _, c := range []store.Case{
		mk("A1", "BLK-SBY", "LSP-BLK-SBY", 1, "centre-admin"),
		mk("A2", "BLK-SBY", "LSP-LOGAM", 0, "centre-admin"),
		mk("B1", "BLK-TBN", "LSP-LOGAM", 2, "centre-admin"),
		mk("B2", "BLK-TBN", "LSP-BLK-SBY", 0, ""),
	} {
		must(t, st.UpsertCase(ctx, c))
	}
	sby := store.Scope{CentreCodes: []string{"BLK-SBY"}}
	logam := store.Scope{LSPCodes: []string{"LSP-LOGAM"}}
	none := store.Scope{CentreCodes: []string{}}

	list := func(f store.CaseFilter) []string {
		t.Helper()
		cs, err := st.ListCases(ctx, f)
		must(t, err)
		ids := caseIDs(cs)
		slices.Sort(ids)
		return ids
	}
	for name, c := range map[string]struct {
		f    store.CaseFilter
		want []string
	}{
		"unscoped":            {store.CaseFilter{}, []string{"A1", "A2", "B1", "B2"}},
		"centre scope":        {store.CaseFilter{Scope: sby}, []string{"A1", "A2"}},
		"lsp scope":           {store.CaseFilter{Scope: logam}, []string{"A2", "B1"}},
		"lsp scope + centre":  {store.CaseFilter{Scope: logam, CentreCode: "BLK-TBN"}, []string{"B1"}},
		"two centres":         {store.CaseFilter{Scope: store.Scope{CentreCodes: []string{"BLK-SBY", "BLK-TBN"}}}, []string{"A1", "A2", "B1", "B2"}},
		"empty scope":         {store.CaseFilter{Scope: none}, []string{}},
		"centre scope, stuck": {store.CaseFilter{Scope: sby, StuckOnly: true}, []string{"A1"}},
	} {
		if got := list(c.f); !slices.Equal(got, c.want) {
			t.Errorf("cases %s: %v, want %v", name, got, c.want)
		}
		n, err := st.CountCases(ctx, c.f)
		must(t, err)
		if n != len(c.want) {
			t.Errorf("count %s: %d, want %d", name, n, len(c.want))
		}
	}

	stuck := func(f store.StuckFilter) []string {
		t.Helper()
		page, err := st.StuckCases(ctx, f)
		must(t, err)
		if page.Total != len(page.Cases) {
			t.Errorf("stuck %+v: total %d for %d cases", f, page.Total, len(page.Cases))
		}
		return caseIDs(page.Cases)
	}
	if got := stuck(store.StuckFilter{Scope: sby}); !slices.Equal(got, []string{"A1"}) {
		t.Errorf("stuck in BLK-SBY: %v", got)
	}
	if got := stuck(store.StuckFilter{Scope: logam}); !slices.Equal(got, []string{"B1"}) {
		t.Errorf("stuck of LSP-LOGAM: %v", got)
	}
	if got := stuck(store.StuckFilter{Scope: none}); len(got) != 0 {
		t.Errorf("stuck with an empty scope: %v", got)
	}

	total, cs, err := st.WaitingCases(ctx, store.WaitFilter{Scope: logam, WaitingOn: "centre-admin", Stage: "enrolment"})
	must(t, err)
	if got := caseIDs(cs); total != 2 || !slices.Equal(got, []string{"A2", "B1"}) {
		t.Errorf("waiting of LSP-LOGAM: %d %v", total, got)
	}
	total, cs, err = st.WaitingCases(ctx, store.WaitFilter{Scope: sby, WaitingOn: "centre-admin", Stage: "enrolment"})
	must(t, err)
	if got := caseIDs(cs); total != 2 || !slices.Equal(got, []string{"A1", "A2"}) {
		t.Errorf("waiting in BLK-SBY: %d %v", total, got)
	}

	// The funnel goes through the simple protocol (literal arguments): the arrays must survive it.
	fs, err := st.FunnelsIn(ctx, time.Now(), 30*24*time.Hour, logam)
	must(t, err)
	if len(fs) != 2 || fs[0].CentreCode != "BLK-SBY" || fs[0].Cases != 1 || fs[1].CentreCode != "BLK-TBN" || fs[1].Cases != 1 {
		t.Fatalf("funnels of LSP-LOGAM %+v", fs)
	}
	fs, err = st.FunnelsIn(ctx, time.Now(), 30*24*time.Hour, sby)
	must(t, err)
	if len(fs) != 1 || fs[0].CentreCode != "BLK-SBY" || fs[0].Cases != 2 || fs[0].Stuck != 1 {
		t.Fatalf("funnels of BLK-SBY %+v", fs)
	}
	fs, err = st.FunnelsIn(ctx, time.Now(), 30*24*time.Hour, none)
	must(t, err)
	if len(fs) != 0 {
		t.Fatalf("funnels with an empty scope %+v", fs)
	}
	all, err := st.Funnels(ctx, time.Now(), 30*24*time.Hour)
	must(t, err)
	if len(all) != 2 || all[0].Cases+all[1].Cases != 4 {
		t.Fatalf("unscoped funnels %+v", all)
	}

	rows, err := st.TracerStudyIn(ctx, store.Scope{CentreCodes: []string{"BLK-TBN"}})
	must(t, err)
	if len(rows) != 1 || rows[0].CentreCode != "BLK-TBN" || rows[0].Graduates != 2 {
		t.Fatalf("tracer study of BLK-TBN %+v", rows)
	}
	rows, err = st.TracerStudyIn(ctx, store.Scope{LSPCodes: []string{"LSP-BLK-SBY"}})
	must(t, err)
	if len(rows) != 2 || rows[0].Graduates != 1 || rows[1].Graduates != 1 {
		t.Fatalf("tracer study of LSP-BLK-SBY %+v", rows)
	}
}
