package starter

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/nik"
)

// An enrolment's failure and a person CheckPerson refuses carry catalogue messages: worded in
// Indonesian they hold none of the English sentence the API's error field keeps, differ from
// the English, and leave no parameter unfilled; an error the catalogue does not know reads as a
// system error, its detail left to the error field and the log.
func TestEnrolProblemsAreWordedByTheCatalogue(t *testing.T) {
	born := time.Date(2004, 7, 19, 0, 0, 0, 0, time.UTC)
	_, nikErr := nik.Parse("9915015907041187")
	internal := fmt.Errorf("start journey abc: %w", errors.New("context deadline exceeded"))
	for _, c := range []struct {
		name    string
		err     error
		english string // the producer's English, which the Indonesian must not carry
	}{
		{"bad NIK", CheckPerson(Person{NIK: "9915015907041187", Name: "Siti", BirthDate: born}), nikErr.Error()},
		{"no name", CheckPerson(Person{NIK: "3515015907041187", BirthDate: born}), "name is required"},
		{"no birth date", CheckPerson(Person{NIK: "3515015907041187", Name: "Siti"}), "birth_date is required"},
		{"superseded NIK", fmt.Errorf("enrol: %w", ErrSupersededNIK), "this NIK was corrected to another NIK on an earlier case"},
		{"system error", internal, "context deadline exceeded"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.english) {
			t.Fatalf("%s: error %v does not say %q: the checks below would prove nothing", c.name, c.err, c.english)
		}
		m := failedWhy(c.err)
		id, en := m.In(i18n.For(i18n.ID, nil)), m.English()
		if strings.Contains(id, c.english) || id == en || regexp.MustCompile(`\{[a-z]+`).MatchString(id+en) {
			t.Errorf("%s: Indonesian %q, English %q: English in the Indonesian, one language, or a parameter unfilled", c.name, id, en)
		}
	}
	if err := CheckPerson(Person{NIK: "3515015907041187", Name: "Siti", BirthDate: born}); err != nil {
		t.Errorf("a usable person refused: %v", err)
	}
	// The API's error field and scripts keep the sentences they matched on.
	if got := CheckPerson(Person{NIK: "9915015907041187", Name: "Siti", BirthDate: born}).Error(); got != "nik: "+nikErr.Error() {
		t.Errorf("CheckPerson's English %q, want %q", got, "nik: "+nikErr.Error())
	}
	if !strings.Contains(ErrSupersededNIK.Error(), "telah dikoreksi") || !errors.Is(fmt.Errorf("x: %w", ErrSupersededNIK), ErrSupersededNIK) {
		t.Errorf("ErrSupersededNIK changed its sentence or its identity: %v", ErrSupersededNIK)
	}
}
