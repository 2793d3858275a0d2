package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// SheetChannel is the tracer study by channel (issue 18): self-reported against staff-reported
// follow-ups per centre.
const SheetChannel = "Per Saluran"

var channelHeaders = []any{
	"Kode BLK / Centre", "Nama BLK / Centre name", "Dipantau / In or past follow-up",
	"Dikirimi tautan / Sent a link", "Menjawab sendiri / Self-reported answers", "Terserap, lapor mandiri / Placed, self-reported",
	"Tingkat respons mandiri / Self-report response rate", "Tingkat keterserapan mandiri / Self-report placement rate",
	"Laporan staf / Staff reports", "Terserap, laporan staf / Placed, staff-reported",
	"Tingkat respons staf / Staff response rate", "Tingkat keterserapan staf / Staff placement rate",
}

// writeChannels adds the by-channel sheet: one row per centre and the network's total.
func (t *table) writeChannels(rows []store.ChannelRow) {
	if t.err != nil {
		return
	}
	if _, err := t.f.NewSheet(SheetChannel); err != nil {
		t.err = fmt.Errorf("sheet %s: %w", SheetChannel, err)
		return
	}
	t.cur, t.n = SheetChannel, 1
	t.set("A1", channelHeaders)
	if t.err == nil {
		t.err = t.f.SetRowStyle(SheetChannel, 1, 1, t.bold)
	}
	var total store.ChannelRow
	line := func(code, name string, r store.ChannelRow) {
		t.n++
		t.set(fmt.Sprintf("A%d", t.n), []any{code, name, r.FollowUps, r.Linked, r.SelfAnswered, r.SelfPlaced,
			share(r.SelfAnswered, r.Linked), share(r.SelfPlaced, r.SelfAnswered), r.StaffReported, r.StaffPlaced,
			share(r.StaffReported, r.FollowUps), share(r.StaffPlaced, r.StaffReported)})
		for _, col := range []string{"G", "H", "K", "L"} {
			if t.err == nil {
				t.err = t.f.SetCellStyle(SheetChannel, fmt.Sprintf("%s%d", col, t.n), fmt.Sprintf("%s%d", col, t.n), t.pct)
			}
		}
	}
	for _, r := range rows {
		line(r.CentreCode, r.CentreName, r)
		total.FollowUps += r.FollowUps
		total.Linked += r.Linked
		total.SelfAnswered += r.SelfAnswered
		total.SelfPlaced += r.SelfPlaced
		total.StaffReported += r.StaffReported
		total.StaffPlaced += r.StaffPlaced
	}
	line("TOTAL", "", total)
	if t.err == nil {
		t.err = t.f.SetRowStyle(SheetChannel, t.n, t.n, t.bold)
	}
	last, _ := excelize.ColumnNumberToName(len(channelHeaders))
	if t.err == nil {
		t.err = t.f.SetColWidth(SheetChannel, "A", last, 18)
	}
}
