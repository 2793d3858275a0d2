package cohort

import (
	"strings"
	"testing"
	"time"
)

// A correction gets the import's rules and words, checked against the record it changes.
func TestCheckCorrection(t *testing.T) {
	current := Row{NIK: "3515015907041187", Name: "Siti", Sex: "P", BirthDate: time.Date(2004, 7, 19, 0, 0, 0, 0, time.UTC)}
	rules := Rules{StartDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), MinAge: 18, MaxAge: 40}
	cases := []struct {
		name     string
		c        Correction
		kind     string // "" accepted
		contains string // in the error, or in a warning when accepted
	}{
		{"name only", Correction{Name: "  Siti   Nurhaliza "}, "", ""},
		{"excel", Correction{NIK: "3.51502E+15"}, KindSciNotation, "scientific notation"},
		{"no province", Correction{NIK: "9915015907041187"}, KindProvinceNotExist, ""},
		{"bad date", Correction{BirthDate: "31-02-2004"}, KindBadBirthDate, "not a real date"},
		{"underage", Correction{BirthDate: "19-07-2010"}, KindUnderage, "below the minimum"},
		{"birth disagrees with nik", Correction{BirthDate: "20-07-2004"}, "", "NIK encodes birth date"},
		{"nik disagrees with sex on file", Correction{NIK: "3515011907041187"}, "", "NIK encodes sex"},
		{"blank name", Correction{Name: "\t"}, "", ""}, // blank is "not corrected"
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := CheckCorrection(tc.c, current, rules)
			if r.ErrKind != tc.kind {
				t.Fatalf("kind = %q (%v), want %q", r.ErrKind, r.Err, tc.kind)
			}
			text := strings.Join(r.Warnings, "; ")
			if r.Err != nil {
				text = r.Err.Error()
			}
			if !strings.Contains(text, tc.contains) {
				t.Fatalf("%q does not say %q", text, tc.contains)
			}
		})
	}
	r := CheckCorrection(Correction{Name: "  Siti   Nurhaliza ", NIK: "'3515015907041187"}, current, rules)
	if r.Name != "Siti Nurhaliza" || r.NIK != "3515015907041187" || !r.BirthDate.Equal(current.BirthDate) {
		t.Fatalf("normalized = %+v", r)
	}
}
