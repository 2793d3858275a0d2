package nik

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

// valid is a synthetic NIK: Tarik (35.15.01), woman born 19-07-2004, serial 1187.
const valid = "3515015907041187"

// longDigits finds a run of digits long enough to be most of a NIK.
var longDigits = regexp.MustCompile(`[0-9]{10,}`)

func kindOf(err error) Kind {
	var fe *FormatError
	if errors.As(err, &fe) {
		return fe.Kind
	}
	return ""
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		raw  string
		want string
		kind Kind
	}{
		{valid, valid, ""},
		{"  " + valid + "\t", valid, ""},
		{"'" + valid, valid, ""},
		{`"` + valid + `"`, valid, ""},
		{`"'` + valid + `"`, valid, ""},
		{"'" + valid + "'", valid, ""},
		{"\uFEFF" + valid + "\u00A0", valid, ""},
		{"", "", KindEmpty},
		{"  ' ", "", KindEmpty},
		{`""`, "", KindEmpty},
		{"3.51514E+15", "", KindSciNotation},
		{"3,51514E+15", "", KindSciNotation},
		{"3.51514e15", "", KindSciNotation},
		{"3E+15", "", KindSciNotation},
		{"3515 0159 0704 1187", "", KindSeparators},
		{"35.15.01.590704.1187", "", KindSeparators},
		{"3515-0159-0704-1187", "", KindSeparators},
		{"3515O15907041187", "", KindLetters},
		{"3515x15907041187", "", KindLetters},
		{"3515#15907041187", "", KindInvalidChars},
		{"３５１５０１５９０７０４１１８７", "", KindInvalidChars}, // full-width digits
		{"351501590704118", "", KindTooShort},
		{"3515", "", KindTooShort},
		{"35150159070411870", "", KindTooLong},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.raw)
		if got != tt.want || kindOf(err) != tt.kind {
			t.Errorf("Normalize(%q) = %q, %v; want %q, kind %q", tt.raw, got, err, tt.want, tt.kind)
		}
		if err != nil && longDigits.MatchString(err.Error()) {
			t.Errorf("Normalize(%q): error may echo the NIK: %v", tt.raw, err)
		}
	}
}

func TestNormalizeMessages(t *testing.T) {
	_, err := Normalize("351501590704118")
	if err == nil || !strings.Contains(err.Error(), "15 digits") || !strings.Contains(err.Error(), "text") {
		t.Errorf("15-digit message not helpful: %v", err)
	}
	_, err = Normalize("3.51514E+15")
	if err == nil || !strings.Contains(err.Error(), "scientific notation") {
		t.Errorf("scientific notation message not helpful: %v", err)
	}
	if !errors.Is(err, &FormatError{Kind: KindSciNotation}) {
		t.Errorf("errors.Is by kind failed for %v", err)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		nik  string
		want Info
		kind Kind
	}{
		{valid, Info{Province: "35", Regency: "35.15", District: "35.15.01", Day: 19, Month: 7, YY: 4, Female: true, Serial: "1187"}, ""},
		{"3515011907040001", Info{Province: "35", Regency: "35.15", District: "35.15.01", Day: 19, Month: 7, YY: 4, Serial: "0001"}, ""},
		{"3515012902000001", Info{Province: "35", Regency: "35.15", District: "35.15.01", Day: 29, Month: 2, YY: 0, Serial: "0001"}, ""}, // 2000 leap
		{"3515016902960001", Info{Province: "35", Regency: "35.15", District: "35.15.01", Day: 29, Month: 2, YY: 96, Female: true, Serial: "0001"}, ""},
		{"9915011907040001", Info{}, KindProvinceNotExist},
		{"3599011907040001", Info{}, KindRegencyNotExist},
		{"3515991907040001", Info{}, KindDistrictNotExist},
		{"3515013102010001", Info{}, KindBadDate}, // 31-02
		{"3515012902010001", Info{}, KindBadDate}, // 29-02 in 1901 and 2001
		{"3515013207040001", Info{}, KindBadDate}, // day 32
		{"3515010007040001", Info{}, KindBadDate}, // day 0
		{"3515017207040001", Info{}, KindBadDate}, // day 72 (women max 71)
		{"3515014013040001", Info{}, KindBadDate}, // day 40 is 0 for women
		{"3515011913040001", Info{}, KindBadDate}, // month 13
		{"3515011900040001", Info{}, KindBadDate}, // month 0
		{"3515011907040000", Info{}, KindBadSerial},
		{"351501190704000", Info{}, KindInvalidChars},
	}
	for _, tt := range tests {
		got, err := Parse(tt.nik)
		if got != tt.want || kindOf(err) != tt.kind {
			t.Errorf("Parse(%q) = %+v, %v; want %+v, kind %q", tt.nik, got, err, tt.want, tt.kind)
		}
	}
}

func TestInfoMatches(t *testing.T) {
	info, err := Parse(valid)
	if err != nil {
		t.Fatal(err)
	}
	if !info.BirthDateMatches(time.Date(2004, 7, 19, 0, 0, 0, 0, time.UTC)) {
		t.Error("2004-07-19 should match")
	}
	if !info.BirthDateMatches(time.Date(1904, 7, 19, 0, 0, 0, 0, time.UTC)) {
		t.Error("1904-07-19 should match: no century in a NIK")
	}
	if info.BirthDateMatches(time.Date(2004, 7, 20, 0, 0, 0, 0, time.UTC)) {
		t.Error("2004-07-20 should not match")
	}
	for _, s := range []string{"P", "p", "F", "female", "Perempuan", "WANITA"} {
		if !info.SexMatches(s) {
			t.Errorf("SexMatches(%q) = false", s)
		}
	}
	for _, s := range []string{"L", "M", "male", "Laki-Laki", "laki laki", "", "x"} {
		if info.SexMatches(s) {
			t.Errorf("SexMatches(%q) = true", s)
		}
	}
}

func TestCheck(t *testing.T) {
	birth := time.Date(2004, 7, 19, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		raw      string
		birth    time.Time
		sex      string
		warnings int
		kind     Kind
	}{
		{"all agree", "'" + valid, birth, "perempuan", 0, ""},
		{"no stated data", valid, time.Time{}, "", 0, ""},
		{"birth differs", valid, birth.AddDate(0, 0, 1), "P", 1, ""},
		{"sex differs", valid, birth, "laki-laki", 1, ""},
		{"both differ", valid, birth.AddDate(1, 0, 0), "M", 2, ""},
		{"unknown sex is not compared", valid, birth, "?", 0, ""},
		{"bad format", "3.51514E+15", birth, "P", 0, KindSciNotation},
		{"bad district", "3515991907040001", birth, "L", 0, KindDistrictNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			norm, _, warnings, err := Check(tt.raw, tt.birth, tt.sex)
			if kindOf(err) != tt.kind || len(warnings) != tt.warnings {
				t.Fatalf("Check = %q, %q, %v; want %d warnings, kind %q", norm, warnings, err, tt.warnings, tt.kind)
			}
			if err == nil && norm != strings.Trim(tt.raw, "'") {
				t.Errorf("norm = %q", norm)
			}
			for _, w := range warnings {
				if strings.Contains(w.English(), valid) {
					t.Errorf("warning echoes the NIK: %s", w)
				}
			}
		})
	}
}

func TestHash(t *testing.T) {
	k1, k2 := []byte("key-one"), []byte("key-two")
	h := Hash(k1, valid)
	if len(h) != 32 || strings.Trim(h, "0123456789abcdef") != "" {
		t.Fatalf("Hash = %q, want 32 lower-case hex characters", h)
	}
	if Hash(k1, valid) != h {
		t.Error("Hash is not deterministic")
	}
	if Hash(k2, valid) == h || Hash(k1, "3515011907040001") == h {
		t.Error("Hash does not depend on key and NIK")
	}
	// Known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog")
	// = f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8 (RFC 4231 style vector).
	if got := Hash([]byte("key"), "The quick brown fox jumps over the lazy dog"); got != "f7bc83f430538424b13298e6aa6fb143" {
		t.Errorf("known-answer Hash = %s", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("Hash with empty key did not panic")
		}
	}()
	Hash(nil, valid)
}

func TestMask(t *testing.T) {
	tests := map[string]string{
		valid:     "3515**********87",
		"1234567": "1234*67",
		"123456":  "******",
		"":        "",
	}
	for in, want := range tests {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

// A disagreement with the stated data is a message of the catalogue whose English is the
// sentence the import always wrote (older histories hold it, and the pages read it back).
func TestCheckWarningsAreMessages(t *testing.T) {
	birth := time.Date(2004, 7, 20, 0, 0, 0, 0, time.UTC) // the NIK says 19-07-04, a woman
	_, _, warnings, err := Check(valid, birth, "L")
	if err != nil || len(warnings) != 2 {
		t.Fatalf("Check = %+v, %v; want two warnings", warnings, err)
	}
	want := []struct{ code, english string }{
		{"warning.nik-birth-date", "NIK encodes birth date 19-07-..04 but the stated birth date is 20-07-2004; check which one is right"},
		{"warning.nik-sex", "NIK encodes sex P but the stated sex is L; check which one is right"},
	}
	for i, w := range want {
		if warnings[i].Code != w.code || warnings[i].English() != w.english {
			t.Errorf("warning %d: %s %q; want %s %q", i, warnings[i].Code, warnings[i].English(), w.code, w.english)
		}
	}
}
