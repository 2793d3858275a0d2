package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// A correction changes the record in place under its key, makes the corrected NIK's hash an
// alias of the key, survives the same spreadsheet imported again, is audited masked, and is
// put back exactly when the journey refuses it.
func TestCorrectParticipant(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	orig := store.Participant{NIKHash: "h-old", NIK: "3515014101990001", Name: "Siti Nur", Sex: "P",
		BirthDate: day(1999, 1, 1), Phone: "0812"}
	must(t, st.UpsertParticipant(ctx, orig))
	must(t, st.UpsertParticipant(ctx, store.Participant{NIKHash: "h-other", NIK: "3515014101990009", Name: "Other"}))

	name, birth := "Siti Nurhaliza", day(1999, 1, 2)
	corr := store.ParticipantCorrection{Key: "h-old", CaseID: "case000001", Actor: "ani", Role: vocab.RoleCentreAdmin,
		Note: "from the KK", Name: &name, BirthDate: &birth, NIK: "3515014201990001", NIKHash: "h-new"}

	// The corrected NIK of another record is refused and nothing changes.
	taken := corr
	taken.NIK, taken.NIKHash = "3515014101990009", "h-other"
	_, err := st.CorrectParticipant(ctx, taken)
	mustErrIs(t, err, store.ErrNIKTaken)
	if got, _ := st.GetParticipant(ctx, "h-old"); got.Name != orig.Name {
		t.Fatalf("refused correction changed the record: %+v", got)
	}

	applied, err := st.CorrectParticipant(ctx, corr)
	must(t, err)
	if len(applied.Changes) != 3 || applied.Alias != "h-new" {
		t.Fatalf("applied = %+v", applied)
	}
	got, err := st.GetParticipant(ctx, "h-old")
	must(t, err)
	if got.NIK != corr.NIK || got.Name != name || !got.BirthDate.Equal(birth) || got.Phone != "0812" {
		t.Fatalf("after correction: %+v", got)
	}
	for _, h := range []string{"h-new", "h-old"} {
		if key, err := st.ParticipantKey(ctx, h); err != nil || key != "h-old" {
			t.Fatalf("key of %s = %q, %v", h, key, err)
		}
	}

	// The NIK the correction replaced is superseded; the corrected one and an untouched record not.
	for _, tc := range []struct {
		hash, nik string
		want      bool
	}{{"h-old", orig.NIK, true}, {"h-old", corr.NIK, false}, {"h-other", "3515014101990009", false}, {"missing", "x", false}} {
		if got, err := st.Superseded(ctx, tc.hash, tc.nik); err != nil || got != tc.want {
			t.Errorf("Superseded(%s, %s) = %v, %v; want %v", tc.hash, tc.nik, got, err, tc.want)
		}
	}

	// The original spreadsheet again: phone updates, the corrected identity stays.
	again := orig
	again.Phone = "0899"
	must(t, st.UpsertParticipant(ctx, again))
	if got, _ = st.GetParticipant(ctx, "h-old"); got.NIK != corr.NIK || got.Name != name || got.Phone != "0899" {
		t.Fatalf("re-import undid the correction: %+v", got)
	}

	// The same values again: nothing to correct.
	_, err = st.CorrectParticipant(ctx, corr)
	mustErrIs(t, err, store.ErrNothingToCorrect)

	recs, err := st.CorrectionsOf(ctx, "case000001")
	must(t, err)
	if len(recs) != 1 || recs[0].Actor != "ani" || recs[0].Role != vocab.RoleCentreAdmin || len(recs[0].Changes) != 3 {
		t.Fatalf("audit = %+v", recs)
	}
	for _, c := range recs[0].Changes {
		for _, clear := range []string{orig.NIK, corr.NIK, "Nurhaliza", "1999-01"} {
			if strings.Contains(c.Old+c.New, clear) {
				t.Fatalf("audit change %+v shows %q in clear", c, clear)
			}
		}
	}

	// A second correction the journey refuses is put back, its alias dropped, its audit row kept.
	name2 := "Siti N."
	second, err := st.CorrectParticipant(ctx, store.ParticipantCorrection{Key: "h-old", CaseID: "case000001",
		Name: &name2, NIK: "3515014301990001", NIKHash: "h-newer"})
	must(t, err)
	must(t, st.RevertCorrection(ctx, second))
	if got, _ = st.GetParticipant(ctx, "h-old"); got.Name != name || got.NIK != corr.NIK {
		t.Fatalf("after revert: %+v", got)
	}
	if key, _ := st.ParticipantKey(ctx, "h-newer"); key != "h-newer" {
		t.Fatalf("reverted alias still points at %s", key)
	}
	if recs, _ = st.CorrectionsOf(ctx, "case000001"); len(recs) != 2 || recs[1].Reverted == nil || recs[0].Reverted != nil {
		t.Fatalf("audit after revert = %+v", recs)
	}
	// Still corrected: a re-import keeps the first correction.
	must(t, st.UpsertParticipant(ctx, orig))
	if got, _ = st.GetParticipant(ctx, "h-old"); got.Name != name {
		t.Fatalf("re-import after a revert undid the first correction: %+v", got)
	}
	_, err = st.CorrectParticipant(ctx, store.ParticipantCorrection{Key: "missing", Name: &name})
	mustErrIs(t, err, store.ErrNotFound)
}
