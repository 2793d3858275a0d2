package nik

import (
	"testing"
	"time"
)

func FuzzCheck(f *testing.F) {
	f.Add(valid, int64(1090195200), "P")
	f.Add("3.51514E+15", int64(0), "L")
	f.Add("'351501590704118", int64(-1), "laki-laki")
	f.Fuzz(func(t *testing.T, raw string, birthUnix int64, sex string) {
		var birth time.Time
		if birthUnix != 0 {
			birth = time.Unix(birthUnix, 0).UTC()
		}
		norm, info, warnings, err := Check(raw, birth, sex)
		if err != nil {
			if norm != "" || len(warnings) != 0 {
				t.Fatalf("rejected NIK returned norm %q, warnings %q", norm, warnings)
			}
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("error %T is not *FormatError", err)
			}
			return
		}
		if len(norm) != Length || !allDigits(norm) {
			t.Fatalf("accepted NIK %q is not 16 digits", norm)
		}
		if info.Day < 1 || info.Day > 31 || info.Month < 1 || info.Month > 12 || info.Serial == "0000" {
			t.Fatalf("accepted NIK decodes to impossible %+v", info)
		}
		if again, err := Normalize(norm); err != nil || again != norm {
			t.Fatalf("Normalize not idempotent: %q → %q, %v", norm, again, err)
		}
	})
}
