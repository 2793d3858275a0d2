package store_test

import (
	"context"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

func TestCoveringScope(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	on := day(2026, 3, 1)

	// Seeded: all centres, all schemes, 2023-01-19 .. 2028-01-18.
	m, err := st.Covering(ctx, "LSP-BLK-SBY", "BLK-SBY", "ANY-SCHEME", on)
	must(t, err)
	if m.Number != "MOU/BPVP-SDA/LSP-BLK-SBY/2023" {
		t.Fatalf("got %s", m.Number)
	}
	_, err = st.Covering(ctx, "LSP-BLK-SBY", "BLK-SBY", "X", day(2028, 1, 19))
	mustErrIs(t, err, store.ErrNotFound)
	_, err = st.Covering(ctx, "LSP-BLK-SBY", "BLK-SBY", "X", day(2023, 1, 18))
	mustErrIs(t, err, store.ErrNotFound)
	_, err = st.Covering(ctx, "LSP-NOPE", "BLK-SBY", "X", on)
	mustErrIs(t, err, store.ErrNotFound)

	// A scoped MoU with another LSP covers only its centres and schemes.
	setStatus(t, st, "MOU/BPVP-SDA/LSP-BLK-JBG/2023", agreement.Terminated)
	_, err = st.Covering(ctx, "LSP-BLK-JBG", "BLK-JBG", "LAS", on)
	mustErrIs(t, err, store.ErrNotFound)
	signed := day(2026, 1, 2)
	must(t, st.CreateAgreement(ctx, store.Agreement{Number: "MOU/JBG/2026", PartnerCode: "LSP-BLK-JBG",
		Status: agreement.Active, SignedOn: &signed, ValidFrom: day(2026, 1, 2), ValidUntil: day(2026, 12, 31),
		Centres: []string{"BLK-JBG", "BLKK-LMG"}, Schemes: []string{"LAS"}}))
	m, err = st.Covering(ctx, "LSP-BLK-JBG", "BLKK-LMG", "LAS", on)
	must(t, err)
	if m.Number != "MOU/JBG/2026" || len(m.Centres) != 2 || m.Schemes[0] != "LAS" {
		t.Fatalf("got %+v", m)
	}
	_, err = st.Covering(ctx, "LSP-BLK-JBG", "BLK-SBY", "LAS", on)
	mustErrIs(t, err, store.ErrNotFound)
	_, err = st.Covering(ctx, "LSP-BLK-JBG", "BLK-JBG", "JAHIT", on)
	mustErrIs(t, err, store.ErrNotFound)
	// Empty centre: the caller does not care about the centre.
	_, err = st.Covering(ctx, "LSP-BLK-JBG", "", "LAS", on)
	must(t, err)

	// An unknown status is refused by the table.
	bogus, err := st.GetAgreement(ctx, "MOU/JBG/2026")
	must(t, err)
	bogus.Status, bogus.Version = "bogus", bogus.Version+1
	mustErrIs(t, st.UpsertAgreement(ctx, bogus), store.ErrInvalid)
}
