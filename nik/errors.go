package nik

import "github.com/bpvp-sidoarjo/kompeten/i18n"

// Kind classifies why a NIK was rejected, for programs; Message is for people.
type Kind string

// Kinds of FormatError.
const (
	KindEmpty            Kind = "empty"              // nothing left after trimming
	KindSciNotation      Kind = "sci_notation"       // Excel rendered the number as 3.51514E+15
	KindSeparators       Kind = "separators"         // internal spaces, dots, dashes…
	KindLetters          Kind = "letters"            // letters, often O for 0 or l for 1
	KindInvalidChars     Kind = "invalid_chars"      // other symbols or non-ASCII digits
	KindTooShort         Kind = "too_short"          // fewer than 16 digits (15: lost leading zero)
	KindTooLong          Kind = "too_long"           // more than 16 digits
	KindProvinceNotExist Kind = "province_not_exist" // digits 1-2 are no province code
	KindRegencyNotExist  Kind = "regency_not_exist"  // digits 1-4 are no regency code
	KindDistrictNotExist Kind = "district_not_exist" // digits 1-6 are no district code
	KindBadDate          Kind = "bad_date"           // digits 7-12 are no calendar date
	KindBadSerial        Kind = "bad_serial"         // serial 0000
)

// FormatError reports why a NIK is not acceptable. Message never contains the
// NIK itself, so the error is safe to log and to show to an administrator.
// Reason is the same as a message of the catalogue (package i18n), which the
// pages word in the reader's language; Message is its English.
type FormatError struct {
	Kind    Kind
	Message string
	Reason  i18n.Message
}

// Error implements error. Messages are full sentences starting with "NIK",
// so no prefix is added.
func (e *FormatError) Error() string { return e.Message }

// Words is Reason: the error worded by the catalogue (i18n.Worded), so whoever shows it words it
// in the reader's language.
func (e *FormatError) Words() i18n.Message { return e.Reason }

// Is makes errors.Is(err, &FormatError{Kind: k}) match any FormatError of
// kind k, so callers can test the kind without a type assertion.
func (e *FormatError) Is(target error) bool {
	t, ok := target.(*FormatError)
	return ok && t.Kind == e.Kind && (t.Message == "" || t.Message == e.Message)
}

// fail is a FormatError of kind worded by the catalogue's message code with its parameters.
func fail(kind Kind, code string, kv ...string) *FormatError {
	m := i18n.M(code, kv...)
	return &FormatError{Kind: kind, Message: m.English(), Reason: m}
}
