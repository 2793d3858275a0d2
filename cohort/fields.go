package cohort

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/nik"
)

// buildRow normalizes the raw cell values of one data row. It checks each
// field on its own; rules that need the whole row or file are in Validate.
func buildRow(line int, v [numFields]string) Row {
	r := Row{Line: line}
	for f := range v {
		if !utf8.ValidString(v[f]) {
			r.rejectm(KindBadEncoding, "row.bad-encoding", "column", strconv.Quote(fieldNames[f][0]))
			v[f] = strings.ToValidUTF8(v[f], "\uFFFD")
		}
		v[f] = clean(v[f])
	}
	r.NIK = v[fNIK]
	r.Name = v[fName]
	r.BirthPlace = v[fBirthPlace]
	r.Education = v[fEducation]
	r.Address = v[fAddress]

	if r.Name == "" {
		r.rejectm(KindEmptyName, "row.empty-name")
	}
	if sex, ok := nik.NormalizeSex(v[fSex]); ok {
		r.Sex = sex
	} else if v[fSex] == "" {
		r.rejectm(KindBadSex, "row.sex-empty")
	} else {
		r.rejectm(KindBadSex, "row.sex-unknown", "sex", strconv.Quote(v[fSex]))
	}
	if d, err := parseDate(v[fBirthDate]); err != nil {
		r.rejectDate(err)
	} else {
		r.BirthDate = d
	}

	r.Phone = v[fPhone]
	if r.Phone != "" {
		if p, ok := normalizePhone(r.Phone); ok {
			r.Phone = p
		} else {
			r.warn("warning.phone")
		}
	}
	r.Consent = parseConsent(&r, v[fConsent])
	r.Email = v[fEmail]
	if r.Email != "" && !plausibleEmail.MatchString(r.Email) {
		r.warn("warning.email")
	}
	return r
}

// clean trims a cell and collapses runs of internal whitespace (line breaks
// inside a cell, double spaces) that would otherwise end up on certificates.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

var (
	dmy = regexp.MustCompile(`^([0-9]{1,2})([-/.])([0-9]{1,2})([-/.])([0-9]{4})$`)
	ymd = regexp.MustCompile(`^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$`)
)

// dateError is why a birth date is refused, as the code of its catalogue message (row.birth-date-*)
// and the date as typed, quoted.
type dateError struct{ code, date string }

func (e *dateError) message() i18n.Message { return i18n.M(e.code, "date", e.date) }

// Error is the English without its subject ("is empty", "\"31-02-2000\" is not a real date").
func (e *dateError) Error() string { return strings.TrimPrefix(e.message().English(), "birth date ") }

// rejectDate rejects the row for a birth date parseDate refused.
func (r *Row) rejectDate(err error) {
	var de *dateError
	if errors.As(err, &de) {
		m := de.message()
		r.reject(KindBadBirthDate, errors.New(m.English()), m)
		return
	}
	r.rejectm(KindBadBirthDate, "row.birth-date-form", "date", err.Error())
}

// parseDate accepts DD-MM-YYYY, DD/MM/YYYY (also D-M-YYYY and dots, which
// spreadsheets produce when they drop padding) and ISO YYYY-MM-DD. Two-digit
// years are refused: a birth year's century cannot be guessed.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, &dateError{code: "row.birth-date-empty"}
	}
	var y, m, d string
	if p := dmy.FindStringSubmatch(s); p != nil && p[2] == p[4] {
		d, m, y = p[1], p[3], p[5]
	} else if p := ymd.FindStringSubmatch(s); p != nil {
		y, m, d = p[1], p[2], p[3]
	} else {
		return time.Time{}, &dateError{"row.birth-date-form", strconv.Quote(s)}
	}
	year, month, day := atoi(y), atoi(m), atoi(d)
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || day < 1 || t.Day() != day {
		return time.Time{}, &dateError{"row.birth-date-unreal", strconv.Quote(s)}
	}
	if year < 1900 {
		return time.Time{}, &dateError{"row.birth-date-year", strconv.Quote(s)}
	}
	return t, nil
}

var (
	phoneJunk      = strings.NewReplacer(" ", "", "-", "", ".", "", "(", "", ")", "", "\u00A0", "")
	localMobile    = regexp.MustCompile(`^08[0-9]{8,11}$`)
	plausibleEmail = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// normalizePhone converts +62…, 62… and 0… to the local form 08…; a number
// starting with 8 is taken as one that lost its leading zero in a
// spreadsheet, which for phones (unlike NIKs) is unambiguous.
func normalizePhone(s string) (string, bool) {
	p := strings.TrimPrefix(phoneJunk.Replace(s), "'")
	p = strings.TrimPrefix(p, "+")
	switch {
	case strings.HasPrefix(p, "62"):
		p = "0" + p[2:]
	case strings.HasPrefix(p, "8"):
		p = "0" + p
	}
	return p, localMobile.MatchString(p)
}

// atoi converts a string already known to be ASCII digits.
func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// parseConsent reads a persetujuan_pesan cell: ya/yes/y/setuju/1/true give consent; empty,
// tidak/no/n/0/false do not; anything else does not either, with a warning so the administrator
// can ask.
func parseConsent(r *Row, cell string) bool {
	switch strings.ToLower(strings.TrimSpace(cell)) {
	case "ya", "y", "yes", "setuju", "1", "true", "iya":
		return true
	case "", "tidak", "t", "no", "n", "0", "false", "tidak setuju":
		return false
	}
	r.warn("warning.consent")
	return false
}
