package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

func TestParticipants(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := store.Participant{NIKHash: "h1", NIK: "3515014101990001", Name: "Siti", Sex: "F",
		BirthDate: day(1999, 1, 1), Phone: "0812"}
	must(t, st.UpsertParticipant(ctx, p))
	p.Phone = "0813"
	must(t, st.UpsertParticipant(ctx, p))
	got, err := st.GetParticipant(ctx, "h1")
	must(t, err)
	if got.NIK != p.NIK || got.Phone != "0813" || !got.BirthDate.Equal(p.BirthDate) {
		t.Fatalf("got %+v", got)
	}

	// Unknown birth date stays zero rather than year 1 in the database.
	must(t, st.UpsertParticipant(ctx, store.Participant{NIKHash: "h2", NIK: "3515010101990002"}))
	got, err = st.GetParticipant(ctx, "h2")
	must(t, err)
	if !got.BirthDate.IsZero() {
		t.Fatalf("birth date = %v", got.BirthDate)
	}

	_, err = st.GetParticipant(ctx, "missing")
	mustErrIs(t, err, store.ErrNotFound)
	err = st.UpsertParticipant(ctx, store.Participant{NIKHash: "h3"})
	mustErrIs(t, err, store.ErrInvalid)
	if strings.Contains(err.Error(), "3515") {
		t.Fatal("error leaks a NIK")
	}
}
