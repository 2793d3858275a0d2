package nik

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Length is the number of digits in a NIK.
const Length = 16

// sciNotation matches what a spreadsheet shows for a large number stored as a
// number: "3.51514E+15", "3,51514E+15" (comma decimal locales), "3E15".
var sciNotation = regexp.MustCompile(`^[0-9]+([.,][0-9]*)?[eE][+-]?[0-9]+$`)

// Normalize turns a NIK as typed or exported into its canonical 16-digit form.
//
// It removes only what surrounds the number: whitespace (including
// non-breaking and zero-width spaces), the leading apostrophe Excel uses to
// mark a cell as text, and surrounding quotes. Anything inside the number is
// rejected with a *FormatError rather than stripped: "3515 0101…" may be two
// numbers run together, and a NIK repaired by guessing is worse than one the
// administrator re-exports.
func Normalize(raw string) (string, error) {
	s := trimOuter(raw)
	if len(s) >= 2 && isQuote(s[0]) && s[len(s)-1] == s[0] {
		s = trimOuter(s[1 : len(s)-1])
	}
	if strings.HasPrefix(s, "'") {
		s = trimOuter(s[1:])
	}
	if s == "" {
		return "", fail(KindEmpty, "nik.empty")
	}
	if sciNotation.MatchString(s) {
		return "", fail(KindSciNotation, "nik.sci-notation")
	}

	var digits, letters, seps, others int
	confusable := true // every letter is one commonly typed for a digit
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case unicode.IsLetter(r):
			letters++
			if !strings.ContainsRune("OoIl", r) {
				confusable = false
			}
		case unicode.IsSpace(r) || strings.ContainsRune(".-,_/\u2010\u2011\u2012\u2013\u2014", r):
			seps++
		default:
			others++
		}
	}
	switch {
	case letters > 0 && confusable:
		return "", fail(KindLetters, "nik.confusable-letters")
	case letters > 0:
		return "", fail(KindLetters, "nik.letters")
	case seps > 0:
		return "", fail(KindSeparators, "nik.separators")
	case others > 0:
		return "", fail(KindInvalidChars, "nik.invalid-chars")
	case digits == Length-1:
		return "", fail(KindTooShort, "nik.fifteen-digits")
	case digits < Length:
		return "", fail(KindTooShort, "nik.digits", "n", strconv.Itoa(digits))
	case digits > Length:
		return "", fail(KindTooLong, "nik.digits", "n", strconv.Itoa(digits))
	}
	return s, nil
}

// trimOuter removes whitespace and invisible characters (BOM, zero-width
// space) that spreadsheets and copy-paste leave around values.
func trimOuter(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B' || r == '\u200C' || r == '\u200D'
	})
}

func isQuote(b byte) bool { return b == '"' || b == '\'' }
