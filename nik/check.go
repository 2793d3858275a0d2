package nik

import (
	"fmt"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

// Check normalizes and parses raw, then compares it with the stated birth
// date and sex. A zero birth or an empty sex skips that comparison.
//
// Disagreements with the stated data are warnings, not errors: a NIK is not
// reissued when a birth date is corrected, and the stated data may be the
// wrong one. Only an unusable NIK is an error (a *FormatError). Each warning is a message of
// the catalogue (warning.nik-*), so whoever shows it words it in the reader's language; its
// English is the sentence the import always wrote.
func Check(raw string, birth time.Time, sex string) (norm string, info Info, warnings []i18n.Message, err error) {
	norm, err = Normalize(raw)
	if err != nil {
		return "", Info{}, nil, err
	}
	info, err = Parse(norm)
	if err != nil {
		return "", Info{}, nil, err
	}
	if !birth.IsZero() && !info.BirthDateMatches(birth) {
		warnings = append(warnings, i18n.M("warning.nik-birth-date",
			"nik", fmt.Sprintf("%02d-%02d-..%02d", info.Day, info.Month, info.YY), "stated", birth.Format("02-01-2006")))
	}
	if sex != "" {
		if s, ok := NormalizeSex(sex); ok && s != info.Sex() {
			warnings = append(warnings, i18n.M("warning.nik-sex", "nik", info.Sex(), "stated", s))
		}
	}
	return norm, info, warnings, nil
}
