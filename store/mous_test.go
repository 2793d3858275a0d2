package store_test

import (
	"context"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

func TestActiveMoUScope(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	on := day(2026, 3, 1)

	// Seeded: all centres, all schemes, 2023-01-19 .. 2028-01-18.
	m, err := st.ActiveMoU(ctx, "LSP-BLK-SBY", "BLK-SBY", "ANY-SCHEME", on)
	must(t, err)
	if m.Number != "MOU/BPVP-SDA/LSP-BLK-SBY/2023" {
		t.Fatalf("got %s", m.Number)
	}
	_, err = st.ActiveMoU(ctx, "LSP-BLK-SBY", "BLK-SBY", "X", day(2028, 1, 19))
	mustErrIs(t, err, store.ErrNotFound)
	_, err = st.ActiveMoU(ctx, "LSP-BLK-SBY", "BLK-SBY", "X", day(2023, 1, 18))
	mustErrIs(t, err, store.ErrNotFound)
	_, err = st.ActiveMoU(ctx, "LSP-NOPE", "BLK-SBY", "X", on)
	mustErrIs(t, err, store.ErrNotFound)

	// A scoped MoU with another LSP covers only its centres and schemes.
	must(t, st.SetMoUStatus(ctx, "MOU/BPVP-SDA/LSP-BLK-JBG/2023", store.MoUTerminated))
	_, err = st.ActiveMoU(ctx, "LSP-BLK-JBG", "BLK-JBG", "LAS", on)
	mustErrIs(t, err, store.ErrNotFound)
	id, err := st.CreateMoU(ctx, store.MoU{Number: "MOU/JBG/2026", PartnerCode: "LSP-BLK-JBG",
		SignedOn: day(2026, 1, 2), ValidFrom: day(2026, 1, 2), ValidUntil: day(2026, 12, 31),
		Centres: []string{"BLK-JBG", "BLKK-LMG"}, Schemes: []string{"LAS"}})
	must(t, err)
	if id == 0 {
		t.Fatal("no id")
	}
	m, err = st.ActiveMoU(ctx, "LSP-BLK-JBG", "BLKK-LMG", "LAS", on)
	must(t, err)
	if m.ID != id || len(m.Centres) != 2 || m.Schemes[0] != "LAS" {
		t.Fatalf("got %+v", m)
	}
	_, err = st.ActiveMoU(ctx, "LSP-BLK-JBG", "BLK-SBY", "LAS", on)
	mustErrIs(t, err, store.ErrNotFound)
	_, err = st.ActiveMoU(ctx, "LSP-BLK-JBG", "BLK-JBG", "JAHIT", on)
	mustErrIs(t, err, store.ErrNotFound)
	// Empty centre: the caller does not care about the centre.
	_, err = st.ActiveMoU(ctx, "LSP-BLK-JBG", "", "LAS", on)
	must(t, err)

	_, err = st.CreateMoU(ctx, store.MoU{Number: "MOU/JBG/2026", PartnerCode: "LSP-BLK-JBG",
		SignedOn: on, ValidFrom: on, ValidUntil: on})
	mustErrIs(t, err, store.ErrExists)
	_, err = st.CreateMoU(ctx, store.MoU{Number: "M2", PartnerCode: "NOPE", SignedOn: on, ValidFrom: on, ValidUntil: on})
	mustErrIs(t, err, store.ErrInvalid)
	_, err = st.CreateMoU(ctx, store.MoU{Number: "M3", PartnerCode: "LSP-BLK-JBG", SignedOn: on,
		ValidFrom: on, ValidUntil: day(2025, 1, 1)})
	mustErrIs(t, err, store.ErrInvalid)
	mustErrIs(t, st.SetMoUStatus(ctx, "NOPE", store.MoUExpired), store.ErrNotFound)
	mustErrIs(t, st.SetMoUStatus(ctx, "MOU/JBG/2026", "bogus"), store.ErrInvalid)
}
