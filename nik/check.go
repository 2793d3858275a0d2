package nik

import (
	"fmt"
	"time"
)

// Check normalizes and parses raw, then compares it with the stated birth
// date and sex. A zero birth or an empty sex skips that comparison.
//
// Disagreements with the stated data are warnings, not errors: a NIK is not
// reissued when a birth date is corrected, and the stated data may be the
// wrong one. Only an unusable NIK is an error (a *FormatError).
func Check(raw string, birth time.Time, sex string) (norm string, info Info, warnings []string, err error) {
	norm, err = Normalize(raw)
	if err != nil {
		return "", Info{}, nil, err
	}
	info, err = Parse(norm)
	if err != nil {
		return "", Info{}, nil, err
	}
	if !birth.IsZero() && !info.BirthDateMatches(birth) {
		warnings = append(warnings, fmt.Sprintf(
			"NIK encodes birth date %02d-%02d-..%02d but the stated birth date is %s; check which one is right",
			info.Day, info.Month, info.YY, birth.Format("02-01-2006")))
	}
	if sex != "" {
		if s, ok := NormalizeSex(sex); ok && s != info.Sex() {
			warnings = append(warnings, fmt.Sprintf(
				"NIK encodes sex %s but the stated sex is %s; check which one is right", info.Sex(), s))
		}
	}
	return norm, info, warnings, nil
}
