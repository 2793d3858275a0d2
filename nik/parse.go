package nik

import (
	"time"

	"github.com/bpvp-sidoarjo/kompeten/regions"
)

// Info is what a NIK encodes. Codes use the official dotted form of the
// regions package ("35", "35.15", "35.15.01").
type Info struct {
	Province string // "35"
	Regency  string // "35.15"
	District string // "35.15.01"
	Day      int    // day of birth, 1-31, with the +40 for women already removed
	Month    int    // month of birth, 1-12
	YY       int    // year of birth modulo 100: the NIK carries no century
	Female   bool   // the day was written +40
	Serial   string // last four digits, "0001" upwards
}

// Parse decodes a normalized NIK (see Normalize) and checks that its area
// codes exist and its birth date is a real date. Errors are *FormatError.
func Parse(n string) (Info, error) {
	if len(n) != Length || !allDigits(n) {
		return Info{}, fail(KindInvalidChars, "nik.not-normalized")
	}
	info := Info{
		Province: n[0:2],
		Regency:  n[0:2] + "." + n[2:4],
		District: n[0:2] + "." + n[2:4] + "." + n[4:6],
		Day:      atoi(n[6:8]),
		Month:    atoi(n[8:10]),
		YY:       atoi(n[10:12]),
		Serial:   n[12:16],
	}
	if _, ok := regions.Province(info.Province); !ok {
		return Info{}, fail(KindProvinceNotExist, "nik.province", "code", info.Province)
	}
	if _, ok := regions.Regency(info.Regency); !ok {
		return Info{}, fail(KindRegencyNotExist, "nik.regency", "code", info.Regency)
	}
	if _, ok := regions.District(info.District); !ok {
		return Info{}, fail(KindDistrictNotExist, "nik.district", "code", info.District)
	}
	if info.Day > 40 {
		info.Female = true
		info.Day -= 40
	}
	if !validDayMonth(info.Day, info.Month, info.YY) {
		return Info{}, fail(KindBadDate, "nik.bad-date", "digits", n[6:12])
	}
	if info.Serial == "0000" {
		return Info{}, fail(KindBadSerial, "nik.bad-serial")
	}
	return info, nil
}

// validDayMonth reports whether day-month is a real date in 19YY or 20YY;
// the NIK has no century, so 29-02-00 is valid (2000 was a leap year).
func validDayMonth(day, month, yy int) bool {
	if day < 1 || month < 1 || month > 12 {
		return false
	}
	for _, year := range []int{1900 + yy, 2000 + yy} {
		if time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Day() == day {
			return true
		}
	}
	return false
}

// BirthDateMatches reports whether t agrees with the birth date in the NIK on
// day, month and year modulo 100.
func (i Info) BirthDateMatches(t time.Time) bool {
	return t.Day() == i.Day && int(t.Month()) == i.Month && t.Year()%100 == i.YY
}

// Sex returns "P" (perempuan) for women and "L" (laki-laki) for men, as
// encoded by the NIK.
func (i Info) Sex() string {
	if i.Female {
		return SexFemale
	}
	return SexMale
}

// SexMatches reports whether sex (any form NormalizeSex accepts) agrees with
// the NIK. An unrecognised sex does not match.
func (i Info) SexMatches(sex string) bool {
	s, ok := NormalizeSex(sex)
	return ok && s == i.Sex()
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi converts a string already known to be ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
