package importer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// failingEnroller fails every person as the enrol API fails a NIK a correction replaced.
type failingEnroller struct{}

func (failingEnroller) Enrol(_ context.Context, _ string, people []starter.Person) ([]starter.EnrolResult, error) {
	out := make([]starter.EnrolResult, len(people))
	for i := range out {
		out[i] = starter.EnrolResult{Outcome: starter.OutcomeFailed, Error: starter.ErrSupersededNIK.Error(),
			Why: i18n.M("enrol.superseded-nik")}
	}
	return out, nil
}

// A row the enrol API failed keeps the API's message (Why) beside its English (Reason), so the
// upload page words it in the reader's language rather than showing the API's English.
func TestFailedRowKeepsTheAPIsMessage(t *testing.T) {
	rows, err := cohort.ReadCSV(strings.NewReader("nik,nama,jenis_kelamin,tanggal_lahir\n3515015907041187,Siti Nur,P,19-07-2004\n"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importer.Run(context.Background(), rows, "P", failingEnroller{}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	row := rep.Rows[0]
	if row.Outcome != starter.OutcomeFailed || row.Reason != starter.ErrSupersededNIK.Error() {
		t.Fatalf("row: %+v", row)
	}
	id, en := row.Why.In(i18n.For(i18n.ID, nil)), row.Why.English()
	if row.Why.Code != "enrol.superseded-nik" || id == en || strings.Contains(id, "was corrected to another NIK") || strings.Contains(id, "{") {
		t.Errorf("failed row's message %+v: Indonesian %q, English %q", row.Why, id, en)
	}
}
