package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/internal/xlsxsafe/bombtest"
)

// `kompeten import` of a 1 MiB spreadsheet bomb (340 MiB unzipped) is refused with a message
// that says what was refused, and the command allocates little on the way: an unbounded read
// would allocate the 340 MiB at least (the issue measured 8.5 GB for its bomb).
func TestImportRefusesASpreadsheetBomb(t *testing.T) {
	bomb := filepath.Join(t.TempDir(), "cohort.xlsx")
	if err := os.WriteFile(bomb, bombtest.Bomb(t, []string{"nik", "nama"}), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	t.Setenv("KOMPETEN_TOKEN", "kpt_test")
	srv := enrolAPI(t)
	root := newRoot()
	var stdout, stderr bytes.Buffer
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	root.SetArgs([]string{"import", bomb, "--package", "SBY-LAS-1", "--server", srv.URL, "--report", "report.csv"})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := root.Execute()
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "spreadsheet refused: it unzips to more than 64 MiB (xl/worksheets/sheet1.xml alone is 340 MiB)") {
		t.Fatalf("import of the bomb: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	took := after.TotalAlloc - before.TotalAlloc
	t.Logf("refused after allocating %d KiB: %v", took>>10, err)
	if took > 32<<20 {
		t.Fatalf("refusing the bomb allocated %d MiB", took>>20)
	}
}
