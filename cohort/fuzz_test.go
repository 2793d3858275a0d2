package cohort

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzReadCSV(f *testing.F) {
	if sample, err := os.ReadFile(filepath.Join(sampleDir, "sample-cohort.csv")); err == nil {
		f.Add(sample)
	}
	f.Add([]byte(header + "3515015907041187,Siti,P,Sidoarjo,19-07-2004,0812345678,,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		Validate(rows, Rules{StartDate: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), MinAge: 17, MaxAge: 65})
		last := 0
		for _, r := range rows {
			if r.Line <= last {
				t.Fatalf("row numbers not increasing: %d after %d", r.Line, last)
			}
			last = r.Line
			if (r.Err == nil) != (r.ErrKind == "") {
				t.Fatalf("row %d: Err %v with kind %q", r.Line, r.Err, r.ErrKind)
			}
			if r.Err == nil && (len(r.NIK) != 16 || r.Name == "" || !utf8.ValidString(r.Name)) {
				t.Fatalf("row %d accepted with NIK %q name %q", r.Line, r.NIK, r.Name)
			}
		}
	})
}
