package cohort

import (
	"errors"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/nik"
)

// Rules are the eligibility rules of the training package the cohort joins.
type Rules struct {
	StartDate time.Time // ages are taken on this day; zero skips the age check
	MinAge    int       // minimum age in whole years at StartDate; 0 = no lower bound
	MaxAge    int       // maximum age in whole years at StartDate; 0 = no upper bound
}

// nikKinds translates nik.Kind to the row kinds of this package.
var nikKinds = map[nik.Kind]string{
	nik.KindEmpty:            KindMissingNIK,
	nik.KindSciNotation:      KindSciNotation,
	nik.KindSeparators:       KindNIKSeparators,
	nik.KindLetters:          KindLettersInNIK,
	nik.KindInvalidChars:     KindNIKInvalidChars,
	nik.KindTooShort:         KindShortNIK,
	nik.KindTooLong:          KindLongNIK,
	nik.KindProvinceNotExist: KindProvinceNotExist,
	nik.KindRegencyNotExist:  KindBadRegency,
	nik.KindDistrictNotExist: KindBadDistrict,
	nik.KindBadDate:          KindBadDateInNIK,
	nik.KindBadSerial:        KindBadSerial,
}

// Validate applies the identity and eligibility rules to rows in place: the
// NIK (normalized into Row.NIK; disagreements with the stated birth date or
// sex become warnings), the age at rules.StartDate, and uniqueness of the NIK
// within the file. A duplicate is reported on the second and later
// occurrences, naming the first, so the first row can still be accepted.
// Rows already rejected while reading keep their reason. Call it once per
// slice: warnings are appended.
func Validate(rows []Row, rules Rules) {
	firstSeen := make(map[string]int) // normalized NIK → Line of first occurrence
	for i := range rows {
		r := &rows[i]
		if r.Err != nil {
			// Still remember its NIK: the same person twice is worth flagging
			// even when the first entry needs fixing for another reason.
			if n, err := nik.Normalize(r.NIK); err == nil {
				r.NIK = n
				if _, dup := firstSeen[n]; !dup {
					firstSeen[n] = r.Line
				}
			}
			continue
		}
		norm, _, warnings, err := nik.Check(r.NIK, r.BirthDate, r.Sex)
		if err != nil {
			var fe *nik.FormatError
			kind, reason := KindNIKInvalidChars, i18n.M("row.error", "error", err.Error())
			if errors.As(err, &fe) {
				kind, reason = nikKinds[fe.Kind], fe.Reason
			}
			r.reject(kind, err, reason)
			continue
		}
		r.NIK = norm
		r.warnm(warnings...)
		if first, dup := firstSeen[norm]; dup {
			r.rejectm(KindDuplicateNIK, "row.duplicate", "first", strconv.Itoa(first))
			continue
		}
		firstSeen[norm] = r.Line
		checkAge(r, rules)
	}
}

// checkAge rejects a row whose age at the start date is outside the bounds.
func checkAge(r *Row, rules Rules) {
	if rules.StartDate.IsZero() {
		return
	}
	age := ageOn(r.BirthDate, rules.StartDate)
	switch {
	case rules.MinAge > 0 && age < rules.MinAge:
		r.rejectm(KindUnderage, "row.underage", "age", strconv.Itoa(age), "start", rules.StartDate.Format("02-01-2006"),
			"min", strconv.Itoa(rules.MinAge))
	case rules.MaxAge > 0 && age > rules.MaxAge:
		r.rejectm(KindOverage, "row.overage", "age", strconv.Itoa(age), "start", rules.StartDate.Format("02-01-2006"),
			"max", strconv.Itoa(rules.MaxAge))
	}
}

// ageOn returns the age in whole years on day. Someone born on 29 February
// turns a year older on 1 March in common years.
func ageOn(birth, day time.Time) int {
	age := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		age--
	}
	return age
}
