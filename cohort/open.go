package cohort

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Open reads a cohort export from a file, choosing the format by extension:
// .csv (also .tsv and .txt) or .xlsx.
func Open(path string) ([]Row, error) {
	ext := strings.ToLower(filepath.Ext(path))
	var read func(*os.File) ([]Row, error)
	switch ext {
	case ".csv", ".tsv", ".txt":
		read = func(f *os.File) ([]Row, error) { return ReadCSV(f) }
	case ".xlsx", ".xlsm":
		read = func(f *os.File) ([]Row, error) { return ReadXLSX(f) }
	case ".xls":
		return nil, fmt.Errorf("open %s: the old .xls format is not supported; save as .xlsx or \"CSV UTF-8\"", filepath.Base(path))
	default:
		return nil, fmt.Errorf("open %s: unsupported file type %q; use .csv or .xlsx", filepath.Base(path), ext)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open cohort file: %w", err)
	}
	defer f.Close() // read-only
	rows, err := read(f)
	if err != nil {
		return rows, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	return rows, nil
}
