package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/report"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

func TestTracerStudyWorkbook(t *testing.T) {
	rows := []store.TracerRow{
		{CentreCode: "BLK-SBY", CentreName: "BLK Surabaya", Trade: "Las", Graduates: 10, Formal: 4, Informal: 1, SelfEmployed: 1, ContinuingStudy: 1, NotPlaced: 2, InFollowUp: 1},
		{CentreCode: "BLK-SBY", CentreName: "BLK Surabaya", Trade: "TIK", Graduates: 5, Formal: 1, NotPlaced: 4},
		{CentreCode: "BLK-TBN", CentreName: "BLK Tuban", Trade: "Las", Graduates: 4, SelfEmployed: 2, InFollowUp: 1, InAssessment: 1},
	}
	var buf bytes.Buffer
	if err := report.WriteTracerStudy(&buf, rows, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{report.SheetCentreTrade, report.SheetCentre, report.SheetTrade, report.SheetCategory, report.SheetAbout, report.SheetChannel}
	if got := f.GetSheetList(); len(got) != len(want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	cell := func(sheet, ref string) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Centre x trade: one row per input row, then the total (19 graduates, 9 placed).
	if cell(report.SheetCentreTrade, "C2") != "Las" || cell(report.SheetCentreTrade, "D2") != "10" || cell(report.SheetCentreTrade, "L2") != "6" {
		t.Errorf("first row: %s %s %s", cell(report.SheetCentreTrade, "C2"), cell(report.SheetCentreTrade, "D2"), cell(report.SheetCentreTrade, "L2"))
	}
	if cell(report.SheetCentreTrade, "A5") != "TOTAL" || cell(report.SheetCentreTrade, "D5") != "19" || cell(report.SheetCentreTrade, "L5") != "9" {
		t.Errorf("total row: %v", cell(report.SheetCentreTrade, "D5"))
	}
	// Per centre: BLK-SBY sums its two trades.
	if cell(report.SheetCentre, "A2") != "BLK-SBY" || cell(report.SheetCentre, "C2") != "15" || cell(report.SheetCentre, "K2") != "7" {
		t.Errorf("per centre: %s %s", cell(report.SheetCentre, "C2"), cell(report.SheetCentre, "K2"))
	}
	// Per trade: Las sums two centres.
	if cell(report.SheetTrade, "A2") != "Las" || cell(report.SheetTrade, "B2") != "14" || cell(report.SheetTrade, "J2") != "8" {
		t.Errorf("per trade: %s %s", cell(report.SheetTrade, "B2"), cell(report.SheetTrade, "J2"))
	}
	// Per category, network-wide.
	if cell(report.SheetCategory, "A2") != "Formal" || cell(report.SheetCategory, "B2") != "5" {
		t.Errorf("category: %s %s", cell(report.SheetCategory, "A2"), cell(report.SheetCategory, "B2"))
	}
	raw, err := f.GetCellValue(report.SheetCentreTrade, "M5", excelize.Options{RawCellValue: true})
	if err != nil || raw[:4] != "0.47" {
		t.Errorf("placement rate 9/19 = %q", raw)
	}
	// Every placement rate, the TOTAL row's included, is shown as a percentage.
	for _, ref := range []string{"M2", "M5"} {
		if shown := cell(report.SheetCentreTrade, ref); !strings.HasSuffix(shown, "%") {
			t.Errorf("placement rate in %s shown as %q, want a percentage", ref, shown)
		}
	}
	// Graduates still being assessed are counted apart from those in follow-up.
	if cell(report.SheetCentreTrade, "J4") != "1" || cell(report.SheetCentreTrade, "K4") != "1" {
		t.Errorf("BLK-TBN in follow-up %s, being assessed %s; want 1 and 1", cell(report.SheetCentreTrade, "J4"), cell(report.SheetCentreTrade, "K4"))
	}
}
