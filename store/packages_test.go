package store_test

import (
	"context"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

func TestPackages(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := createPackage(t, st, "PKG-SBY-LAS-01", day(2026, 3, 2), day(2026, 4, 10))
	createPackage(t, st, "PKG-SBY-LAS-02", day(2026, 5, 4), day(2026, 6, 12))

	got, err := st.GetPackage(ctx, p.Code)
	must(t, err)
	if got.CentreCode != "BLK-SBY" || got.LSPCode != "LSP-BLK-SBY" || !got.StartDate.Equal(p.StartDate) ||
		!got.EndDate.Equal(p.EndDate) || got.Capacity != 16 || got.AttendanceMin != 0.8 || !got.AutoApprove ||
		got.CreatedAt.IsZero() {
		t.Fatalf("got %+v", got)
	}

	err = st.CreatePackage(ctx, p)
	mustErrIs(t, err, store.ErrExists)

	_, err = st.GetPackage(ctx, "NOPE")
	mustErrIs(t, err, store.ErrNotFound)

	list, err := st.ListPackages(ctx, "BLK-SBY")
	must(t, err)
	if len(list) != 2 || list[0].Code != "PKG-SBY-LAS-02" {
		t.Fatalf("list = %+v", list)
	}
	list, err = st.ListPackages(ctx, "BLK-TBN")
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("other centre lists %d packages", len(list))
	}
	list, err = st.ListPackages(ctx, "")
	must(t, err)
	if len(list) != 2 {
		t.Fatalf("all centres list %d packages", len(list))
	}
}

func TestCreatePackageRejectsBadReferences(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	base := store.Package{Code: "X", CentreCode: "BLK-SBY", LSPCode: "LSP-BLK-SBY",
		StartDate: day(2026, 1, 5), EndDate: day(2026, 2, 5), Capacity: 16}
	cases := map[string]func(p *store.Package){
		"unknown centre":   func(p *store.Package) { p.CentreCode = "BLK-NOPE" },
		"unknown lsp":      func(p *store.Package) { p.LSPCode = "LSP-NOPE" },
		"insurer as lsp":   func(p *store.Package) { p.LSPCode = "BPJSTK-JATIM" },
		"end before start": func(p *store.Package) { p.EndDate = day(2025, 12, 1) },
		"no code":          func(p *store.Package) { p.Code = "" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			p := base
			mutate(&p)
			err := st.CreatePackage(ctx, p)
			mustErrIs(t, err, store.ErrInvalid)
			t.Log(err)
		})
	}
	// Without an LSP (not chosen yet) the package is fine.
	p := base
	p.Code, p.LSPCode = "NO-LSP", ""
	must(t, st.CreatePackage(ctx, p))
}
