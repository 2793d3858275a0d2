package cohort

import (
	"errors"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

// Row is one participant as read from the export.
type Row struct {
	// Line is the 1-based data row number, header excluded: the first
	// participant is row 1, in spreadsheet terms row 2.
	Line int
	// NIK is the cell text as read (trimmed); Validate replaces it with the
	// normalized 16-digit form when the NIK is valid. Personal data: show it
	// with nik.Mask and identify rows with nik.Hash, never log it.
	NIK        string
	Name       string
	Sex        string // "L" or "P"
	BirthPlace string
	BirthDate  time.Time // UTC midnight
	Phone      string    // local form "08…" when recognised, else as read
	Email      string
	Education  string
	Address    string
	// Consent is the persetujuan_pesan column: the trainee agreed to messages about the
	// training by WhatsApp or SMS. A file without the column, an empty cell or anything but a
	// clear yes is no consent: consent to processing personal data must be given, not assumed
	// (UU 27/2022 on personal data protection).
	Consent bool
	// Warnings are problems worth showing that do not reject the row, in English;
	// WarningNotes are the same as messages of the catalogue (warning.*), in the same order, so
	// the pages and the API word them in the reader's language.
	Warnings     []string
	WarningNotes []i18n.Message
	// Err says why the row is rejected (nil when accepted); the message may be
	// shown to the administrator and never contains the full NIK.
	Err error
	// ErrKind is the machine-readable reason, one of the Kind constants.
	ErrKind string
	// Reason is Err as a message of the catalogue (package i18n): the pages word it in the
	// reader's language; Err is its English.
	Reason i18n.Message
}

// Kinds of row rejection (Row.ErrKind).
const (
	KindColumnCount      = "column_count"      // more or fewer fields than the header
	KindCSVSyntax        = "csv_syntax"        // the CSV reader could not parse the record
	KindBadEncoding      = "bad_encoding"      // bytes that are not UTF-8
	KindEmptyName        = "empty_name"        // no name
	KindBadSex           = "bad_sex"           // sex missing or not recognisable
	KindBadBirthDate     = "bad_birth_date"    // birth date missing, unparsable or not a real date
	KindMissingNIK       = "missing_nik"       // NIK cell empty
	KindSciNotation      = "sci_notation"      // NIK shown as 3.51514E+15
	KindNIKAsNumber      = "nik_as_number"     // XLSX NIK cell stored as a number
	KindLettersInNIK     = "letters_in_nik"    // NIK with letters (O for 0…)
	KindNIKSeparators    = "nik_separators"    // NIK with spaces, dots, dashes
	KindNIKInvalidChars  = "nik_invalid_chars" // NIK with other symbols
	KindShortNIK         = "short_nik"         // fewer than 16 digits
	KindLongNIK          = "long_nik"          // more than 16 digits
	KindProvinceNotExist = "province_not_exist"
	KindBadRegency       = "bad_regency"     // NIK regency code does not exist
	KindBadDistrict      = "bad_district"    // NIK district code does not exist
	KindBadDateInNIK     = "bad_date_in_nik" // NIK digits 7-12 are no date
	KindBadSerial        = "bad_serial"      // NIK serial 0000
	KindUnderage         = "underage"        // younger than Rules.MinAge at the start date
	KindOverage          = "overage"         // older than Rules.MaxAge at the start date
	KindDuplicateNIK     = "duplicate_nik"   // same NIK as an earlier row
)

// reject marks the row as rejected unless an earlier check already did: the
// first problem found is the one reported, so the administrator sees the
// most basic one first.
func (r *Row) reject(kind string, err error, reason i18n.Message) {
	if r.Err != nil {
		return
	}
	r.Err, r.ErrKind, r.Reason = err, kind, reason
}

// rejectm rejects the row with the catalogue's message code and parameters (Err is its English).
func (r *Row) rejectm(kind, code string, kv ...string) {
	m := i18n.M(code, kv...)
	r.reject(kind, errors.New(m.English()), m)
}

// unreject forgets a rejection, for one that a later check words better.
func (r *Row) unreject() { r.Err, r.ErrKind, r.Reason = nil, "", i18n.Message{} }

// warn adds a warning: the catalogue's message code and parameters, and its English.
func (r *Row) warn(code string, kv ...string) { r.warnm(i18n.M(code, kv...)) }

// warnm adds warnings given as messages, with their English.
func (r *Row) warnm(ms ...i18n.Message) {
	for _, m := range ms {
		r.Warnings = append(r.Warnings, m.English())
		r.WarningNotes = append(r.WarningNotes, m)
	}
}
