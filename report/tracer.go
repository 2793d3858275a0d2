// Package report writes the spreadsheets people take away from kompeten: the tracer-study
// report of where graduates went, by centre, trade and placement category.
package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Sheet names, Indonesian first (the report goes to the ministry), English after.
const (
	SheetCentreTrade = "BLK x Kejuruan"
	SheetCentre      = "Per BLK"
	SheetTrade       = "Per Kejuruan"
	SheetCategory    = "Per Kategori"
	SheetAbout       = "Keterangan"
)

// Headings of the counts besides the placement categories and not placed (worded in vocab).
const (
	inFollowUp   = "Masih dipantau / In follow-up"
	inAssessment = "Masih diuji / Being assessed"
)

var countHeaders = []any{
	"Lulusan / Graduates", vocab.PlacementFormal.Label().String(), vocab.PlacementInformal.Label().String(),
	vocab.PlacementSelfEmployed.Label().String(), vocab.PlacementContinuingStudy.Label().String(),
	vocab.OutcomeNotPlaced.Label().String(), inFollowUp, inAssessment,
	"Terserap / Placed", "Tingkat keterserapan / Placement rate",
}

// WriteTracerStudy writes the tracer-study workbook: graduates by centre and trade with their
// placement categories, the same summed per centre and per trade, the network's categories,
// and a sheet explaining the numbers.
func WriteTracerStudy(w io.Writer, rows []store.TracerRow, at time.Time) error {
	return WriteTracerStudyByChannel(w, rows, nil, at)
}

// WriteTracerStudyByChannel is WriteTracerStudy with a sheet more (SheetChannel): per centre,
// the response and placement rates of self-reported and of staff-reported follow-ups.
func WriteTracerStudyByChannel(w io.Writer, rows []store.TracerRow, channels []store.ChannelRow, at time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetCentreTrade); err != nil {
		return fmt.Errorf("tracer study: %w", err)
	}
	for _, s := range []string{SheetCentre, SheetTrade, SheetCategory, SheetAbout} {
		if _, err := f.NewSheet(s); err != nil {
			return fmt.Errorf("tracer study: sheet %s: %w", s, err)
		}
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return fmt.Errorf("tracer study: style: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("tracer study: style: %w", err)
	}
	// The total row is bold; its rate must stay a percentage (a row style replaces cell styles).
	boldPct, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 10})
	if err != nil {
		return fmt.Errorf("tracer study: style: %w", err)
	}
	t := &table{f: f, pct: pct, bold: bold, boldPct: boldPct}

	t.sheet(SheetCentreTrade, []any{"Kode BLK / Centre", "Nama BLK / Centre name", "Kejuruan / Trade"})
	for _, r := range rows {
		t.row([]any{r.CentreCode, r.CentreName, r.Trade}, r)
	}
	t.total(3, sum(rows))

	t.sheet(SheetCentre, []any{"Kode BLK / Centre", "Nama BLK / Centre name"})
	for _, r := range groupBy(rows, func(r store.TracerRow) string { return r.CentreCode }) {
		t.row([]any{r.CentreCode, r.CentreName}, r)
	}
	t.total(2, sum(rows))

	t.sheet(SheetTrade, []any{"Kejuruan / Trade"})
	for _, r := range groupBy(rows, func(r store.TracerRow) string { return r.Trade }) {
		t.row([]any{r.Trade}, r)
	}
	t.total(1, sum(rows))

	all := sum(rows)
	t.cur, t.n = SheetCategory, 1
	t.set("A1", []any{"Kategori / Category", "Jumlah / Count", "Bagian dari lulusan / Share of graduates"})
	_ = f.SetRowStyle(SheetCategory, 1, 1, bold)
	for _, c := range []struct {
		name string
		n    int
	}{
		{vocab.PlacementFormal.Label().String(), all.Formal}, {vocab.PlacementInformal.Label().String(), all.Informal},
		{vocab.PlacementSelfEmployed.Label().String(), all.SelfEmployed},
		{vocab.PlacementContinuingStudy.Label().String(), all.ContinuingStudy},
		{vocab.OutcomeNotPlaced.Label().String(), all.NotPlaced}, {inFollowUp, all.InFollowUp}, {inAssessment, all.InAssessment},
	} {
		t.n++
		t.set(fmt.Sprintf("A%d", t.n), []any{c.name, c.n, share(c.n, all.Graduates)})
		_ = f.SetCellStyle(SheetCategory, fmt.Sprintf("C%d", t.n), fmt.Sprintf("C%d", t.n), pct)
	}
	_ = f.SetColWidth(SheetCategory, "A", "C", 34)
	t.writeChannels(channels)

	about := [][]any{
		{"Laporan tracer study kompeten / kompeten tracer-study report"},
		{"Dibuat / Generated", at.Format(time.RFC3339)},
		{"Lulusan / Graduates", "peserta yang lulus pelatihan (kehadiran memenuhi minimum) / trainees who graduated (attendance met)"},
		{"Terserap / Placed", "formal + informal + wirausaha; lanjut studi tidak dihitung / formal + informal + self-employed; continuing study is not counted"},
		{"Tingkat keterserapan / Placement rate", "terserap / lulusan, saat laporan dibuat / placed / graduates, at the time of the report"},
		{"Masih dipantau / In follow-up", "belum ada laporan, pemantauan 12 bulan berjalan / no report yet, the 12-month follow-up is running"},
		{"Per Saluran / By channel", "lapor mandiri: lulusan yang menjawab tautan pemantauan sendiri (respons = menjawab / dikirimi tautan; keterserapan = terserap / menjawab); staf: laporan penempatan oleh staf (respons = laporan / dipantau; keterserapan = terserap / laporan) / self-reported: graduates answering their follow-up link (response = answered / sent a link; placement = placed / answered); staff: placement reports by staff (response = reports / in follow-up; placement = placed / reports)"},
		{"Masih diuji / Being assessed", "lulus pelatihan, uji kompetensi atau sertifikasi masih berjalan; pemantauan belum dimulai / graduated, assessment or certification still running; follow-up has not begun"},
	}
	for i, r := range about {
		t.cur = SheetAbout
		t.set(fmt.Sprintf("A%d", i+1), r)
	}
	_ = f.SetColWidth(SheetAbout, "A", "A", 36)
	_ = f.SetColWidth(SheetAbout, "B", "B", 100)
	if t.err != nil {
		return fmt.Errorf("tracer study: %w", t.err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("tracer study: write: %w", err)
	}
	return nil
}

// table writes header and count rows to the current sheet, keeping the first error.
type table struct {
	f         *excelize.File
	cur       string
	n         int // last row written
	pct, bold int
	boldPct   int
	err       error
}

func (t *table) set(cell string, values []any) {
	if t.err == nil {
		t.err = t.f.SetSheetRow(t.cur, cell, &values)
	}
}

func (t *table) sheet(name string, keys []any) {
	t.cur, t.n = name, 1
	t.set("A1", append(keys, countHeaders...))
	if t.err == nil {
		t.err = t.f.SetRowStyle(name, 1, 1, t.bold)
	}
	last, _ := excelize.ColumnNumberToName(len(keys) + len(countHeaders))
	if t.err == nil {
		t.err = t.f.SetColWidth(name, "A", last, 18)
	}
}

func (t *table) row(keys []any, r store.TracerRow) {
	t.n++
	t.set(fmt.Sprintf("A%d", t.n), append(keys, r.Graduates, r.Formal, r.Informal, r.SelfEmployed, r.ContinuingStudy,
		r.NotPlaced, r.InFollowUp, r.InAssessment, r.Placed(), share(r.Placed(), r.Graduates)))
	col, _ := excelize.ColumnNumberToName(len(keys) + len(countHeaders))
	if t.err == nil {
		t.err = t.f.SetCellStyle(t.cur, fmt.Sprintf("%s%d", col, t.n), fmt.Sprintf("%s%d", col, t.n), t.pct)
	}
}

func (t *table) total(keyCols int, r store.TracerRow) {
	keys := make([]any, keyCols)
	keys[0] = "TOTAL"
	t.row(keys, r)
	if t.err == nil {
		t.err = t.f.SetRowStyle(t.cur, t.n, t.n, t.bold)
	}
	col, _ := excelize.ColumnNumberToName(keyCols + len(countHeaders))
	if t.err == nil {
		t.err = t.f.SetCellStyle(t.cur, fmt.Sprintf("%s%d", col, t.n), fmt.Sprintf("%s%d", col, t.n), t.boldPct)
	}
}

// share is n/of, or an empty cell when there is nothing to divide by.
func share(n, of int) any {
	if of == 0 {
		return ""
	}
	return float64(n) / float64(of)
}

func sum(rows []store.TracerRow) store.TracerRow {
	var t store.TracerRow
	for _, r := range rows {
		add(&t, r)
	}
	return t
}

func add(t *store.TracerRow, r store.TracerRow) {
	t.Graduates += r.Graduates
	t.Formal += r.Formal
	t.Informal += r.Informal
	t.SelfEmployed += r.SelfEmployed
	t.ContinuingStudy += r.ContinuingStudy
	t.NotPlaced += r.NotPlaced
	t.InFollowUp += r.InFollowUp
	t.InAssessment += r.InAssessment
}

// groupBy sums rows sharing a key, in key order; the first row's names are kept.
func groupBy(rows []store.TracerRow, key func(store.TracerRow) string) []store.TracerRow {
	byKey := map[string]*store.TracerRow{}
	var keys []string
	for _, r := range rows {
		k := key(r)
		g := byKey[k]
		if g == nil {
			g = &store.TracerRow{CentreCode: r.CentreCode, CentreName: r.CentreName, Trade: r.Trade}
			byKey[k] = g
			keys = append(keys, k)
		}
		add(g, r)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(a, b) })
	out := make([]store.TracerRow, 0, len(keys))
	for _, k := range keys {
		out = append(out, *byKey[k])
	}
	return out
}
