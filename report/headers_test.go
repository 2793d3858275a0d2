package report_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/report"
)

// The category headings come from the vocabulary's labels; the workbook goes to the ministry, so
// their wording is pinned here.
func TestTracerStudyHeadings(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteTracerStudy(&buf, nil, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(report.SheetCentre)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Kode BLK / Centre", "Nama BLK / Centre name", "Lulusan / Graduates", "Formal", "Informal",
		"Wirausaha / Self-employed", "Lanjut studi / Continuing study", "Tidak terserap / Not placed",
		"Masih dipantau / In follow-up", "Masih diuji / Being assessed", "Terserap / Placed", "Tingkat keterserapan / Placement rate"}
	if len(rows) == 0 || !slices.Equal(rows[0], want) {
		t.Errorf("headings %q, want %q", rows, want)
	}
	cats, err := f.GetCols(report.SheetCategory)
	if err != nil {
		t.Fatal(err)
	}
	wantCats := []string{"Kategori / Category", "Formal", "Informal", "Wirausaha / Self-employed",
		"Lanjut studi / Continuing study", "Tidak terserap / Not placed", "Masih dipantau / In follow-up", "Masih diuji / Being assessed"}
	if len(cats) == 0 || !slices.Equal(cats[0], wantCats) {
		t.Errorf("categories %q, want %q", cats, wantCats)
	}
}
