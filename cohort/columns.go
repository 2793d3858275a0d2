package cohort

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

// ErrMissingColumn is wrapped by the file-level error returned when a
// required column is absent.
var ErrMissingColumn = errors.New("missing required column")

// field identifies a participant attribute independent of header spelling.
type field int

const (
	fNIK field = iota
	fName
	fSex
	fBirthPlace
	fBirthDate
	fPhone
	fEmail
	fEducation
	fAddress
	fConsent
	numFields
)

// fieldNames are the canonical (Indonesian export) and English header names,
// used in messages.
var fieldNames = [numFields][2]string{
	fNIK:        {"nik", "nik"},
	fName:       {"nama", "name"},
	fSex:        {"jenis_kelamin", "sex"},
	fBirthPlace: {"tempat_lahir", "birth_place"},
	fBirthDate:  {"tanggal_lahir", "birth_date"},
	fPhone:      {"no_hp", "phone"},
	fEmail:      {"email", "email"},
	fEducation:  {"pendidikan", "education"},
	fAddress:    {"alamat", "address"},
	fConsent:    {"persetujuan_pesan", "consent"},
}

var required = []field{fNIK, fName, fSex, fBirthDate}

// headerAliases maps a header squashed by headerKey to its field. Beyond the
// two documented spellings it holds a few common variants of real exports.
var headerAliases = map[string]field{
	"nik": fNIK, "noktp": fNIK, "nomorindukkependudukan": fNIK,
	"nama": fName, "name": fName, "namalengkap": fName, "fullname": fName,
	"jeniskelamin": fSex, "sex": fSex, "gender": fSex, "jk": fSex,
	"tempatlahir": fBirthPlace, "birthplace": fBirthPlace, "placeofbirth": fBirthPlace,
	"tanggallahir": fBirthDate, "birthdate": fBirthDate, "dateofbirth": fBirthDate, "tgllahir": fBirthDate, "dob": fBirthDate,
	"nohp": fPhone, "phone": fPhone, "nomorhp": fPhone, "phonenumber": fPhone, "telepon": fPhone, "hp": fPhone,
	"email":      fEmail,
	"pendidikan": fEducation, "education": fEducation, "pendidikanterakhir": fEducation,
	"alamat": fAddress, "address": fAddress,
	"persetujuanpesan": fConsent, "consent": fConsent, "setujupesan": fConsent, "persetujuan": fConsent, "messageconsent": fConsent,
}

// headerKey squashes a header so "Tanggal Lahir", "tanggal_lahir" and
// "TANGGAL-LAHIR" compare equal.
func headerKey(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
	return strings.NewReplacer(" ", "", "_", "", "-", "", ".", "", "\u00A0", "").Replace(h)
}

// columns maps each field to its column index, -1 when absent.
type columns [numFields]int

// mapHeader resolves a header row. Unknown columns are ignored (exports often
// carry timestamps or notes); a required column missing, or a column given
// twice, is a file-level error because no row could be read correctly; it is an
// *i18n.Error, so the pages word it in the reader's language.
func mapHeader(header []string) (columns, error) {
	var c columns
	for i := range c {
		c[i] = -1
	}
	for i, h := range header {
		f, ok := headerAliases[headerKey(h)]
		if !ok {
			continue
		}
		if c[f] >= 0 {
			return c, i18n.Errorm("cohort.column-twice", "column", strconv.Quote(fieldNames[f][0]),
				"first", strconv.Itoa(c[f]+1), "second", strconv.Itoa(i+1))
		}
		c[f] = i
	}
	for _, f := range required {
		if c[f] < 0 {
			return c, i18n.Wrap(ErrMissingColumn, "cohort.column-missing", "column", strconv.Quote(fieldNames[f][0]),
				"alias", strconv.Quote(fieldNames[f][1]))
		}
	}
	return c, nil
}

// headerError is a header mapHeader refused, as the file's error: its English prefixed
// "header: " as it always was, its message the header problem's own.
func headerError(err error) error {
	m, ok := i18n.WordsOf(err)
	if !ok {
		return fmt.Errorf("header: %w", err)
	}
	return &i18n.Error{Msg: m, Err: err, Text: "header: " + err.Error()}
}

// pick returns the values of the mapped columns; cells past the end of a
// short record read as empty.
func (c columns) pick(rec []string) [numFields]string {
	var v [numFields]string
	for f, i := range c {
		if i >= 0 && i < len(rec) {
			v[f] = rec[i]
		}
	}
	return v
}
