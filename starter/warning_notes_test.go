package starter

import (
	"time"

	"testing"

	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// The import's coded warnings go into the journey's input beside their English, one for one; a
// client that sent other counts (or the English alone) gets its English carried as before.
func TestJourneyInputCarriesCodedWarnings(t *testing.T) {
	cfg := config.Default()
	s := &Service{Config: &cfg, loc: time.UTC}
	phone := i18n.M("warning.phone")
	in := s.journeyInput(store.Package{Code: "P1"}, "h", "c1", Person{Warnings: []string{phone.English()}, WarningNotes: []i18n.Message{phone}})
	if len(in.ImportWarnings) != 1 || len(in.ImportWarningNotes) != 1 || in.ImportWarningNotes[0].Code != "warning.phone" {
		t.Errorf("input warnings %q, notes %+v; want the phone warning in both", in.ImportWarnings, in.ImportWarningNotes)
	}
	in = s.journeyInput(store.Package{Code: "P1"}, "h", "c1", Person{Warnings: []string{"a", "b"}, WarningNotes: []i18n.Message{phone}})
	if len(in.ImportWarnings) != 2 || in.ImportWarningNotes != nil {
		t.Errorf("mismatched: warnings %q, notes %+v; want the English alone", in.ImportWarnings, in.ImportWarningNotes)
	}
}
