package xlsxsafe_test

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/xlsxsafe"
	"github.com/bpvp-sidoarjo/kompeten/internal/xlsxsafe/bombtest"
)

// allocated runs f and returns how many bytes it allocated on the heap in all (a bound on any
// rise of the heap while it ran).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestBombIsRefusedBeforeItUnzips(t *testing.T) {
	start := time.Now()
	bomb := bombtest.Bomb(t, []string{"nik"})
	t.Logf("bomb: %d KiB, written in %v", len(bomb)>>10, time.Since(start).Round(time.Millisecond))
	if len(bomb) > 3<<19 || len(bomb) < 1<<19 {
		t.Fatalf("the bomb is %d bytes; it should be about 1 MiB", len(bomb))
	}
	var err error
	took := allocated(func() { _, err = xlsxsafe.Open(bytes.NewReader(bomb)) })
	if !errors.Is(err, xlsxsafe.ErrRefused) || !strings.Contains(err.Error(), "unzips to more than 64 MiB") || !strings.Contains(err.Error(), "xl/worksheets/sheet1.xml alone is 340 MiB") {
		t.Fatalf("error %v", err)
	}
	t.Logf("refused after allocating %d KiB: %v", took>>10, err)
	if took > 16<<20 {
		t.Fatalf("refusing the bomb allocated %d MiB", took>>20)
	}
}

// A sheet small unzipped but with a row numbered far down is a million rows to GetRows; Rows
// stops at the limit.
func TestRowsAndColumnsAreBounded(t *testing.T) {
	lim := xlsxsafe.Limits{MaxRows: 100, MaxCols: 5}
	for _, c := range []struct {
		name, rows, says string
	}{
		{"far row", `<row r="1000000"><c r="A1000000"><v>1</v></c></row>`, `sheet "Sheet1" has more than 100 rows`},
		{"many rows", bombtest.Rows(2, 150), `sheet "Sheet1" has more than 100 rows`},
		{"far column", `<row r="2"><c r="XFD2"><v>1</v></c></row>`, `sheet "Sheet1" row 2 has more than 5 columns`},
	} {
		book := bombtest.Workbook(t, []string{"a"}, c.rows, len(c.rows))
		f, err := xlsxsafe.Open(bytes.NewReader(book))
		if err != nil {
			t.Fatalf("%s: open: %v", c.name, err)
		}
		var rerr error
		took := allocated(func() { _, rerr = xlsxsafe.Rows(f, "Sheet1", lim) })
		if !errors.Is(rerr, xlsxsafe.ErrRefused) || !strings.Contains(rerr.Error(), c.says) {
			t.Errorf("%s: %v, want %q", c.name, rerr, c.says)
		}
		if took > 8<<20 {
			t.Errorf("%s: allocated %d MiB", c.name, took>>20)
		}
		_ = f.Close()
	}
	// Within the limits the grid is GetRows's.
	book := bombtest.Workbook(t, []string{"a", "b"}, bombtest.Rows(2, 3), 1)
	f, err := xlsxsafe.Open(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := xlsxsafe.Rows(f, "Sheet1", lim)
	want, werr := f.GetRows("Sheet1")
	if err != nil || werr != nil || len(got) != 4 || len(got) != len(want) || got[0][1] != "b" || got[3][0] != "1" {
		t.Fatalf("Rows %q %v, GetRows %q %v", got, err, want, werr)
	}
}
