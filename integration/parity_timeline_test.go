package integration

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// timelineStep is one event of a case's timeline with what differs between two cases of the
// same routine taken out: the case ID, the package code, the person's name, dates, times and
// numbers the partners hand out (KPJ, certificate and assessment numbers).
type timelineStep struct {
	Kind, Stage, Actor, Role, Detail, Evidence string
}

func (s timelineStep) String() string {
	out := fmt.Sprintf("%s [%s] by %s (%s): %q", s.Kind, s.Stage, s.Actor, s.Role, s.Detail)
	if s.Evidence != "" {
		out += " evidence " + s.Evidence
	}
	return out
}

var (
	// stamps are dates and times in the forms the journey writes them (RFC 3339, a date, a clock).
	stamps = regexp.MustCompile(`\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?|\b\d{1,2}:\d{2}(:\d{2})?\b`)
	// longNumbers are the numbers the partners hand out per person; short numbers (counts,
	// days, percentages) stay, so a different count is a difference.
	longNumbers = regexp.MustCompile(`\d{5,}`)
)

// normalisedTimeline is a case's events with the case's own values (its ID, package code,
// person's name, the assessor the LSP named: own maps each to its placeholder) and every date,
// time and long number replaced, in the read model's order.
func normalisedTimeline(evs []store.Event, own map[string]string) []timelineStep {
	values := make([]string, 0, len(own))
	for v := range own {
		if v != "" {
			values = append(values, v)
		}
	}
	// The longest first, so a value inside another (a name in a package code) is not cut.
	slices.SortFunc(values, func(a, b string) int { return len(b) - len(a) })
	norm := func(s string) string {
		for _, v := range values {
			s = strings.ReplaceAll(s, v, own[v])
		}
		s = stamps.ReplaceAllString(s, "<time>")
		return longNumbers.ReplaceAllString(s, "<n>")
	}
	out := make([]timelineStep, 0, len(evs))
	for _, e := range evs {
		st := timelineStep{Kind: e.Kind, Stage: string(e.Stage), Actor: norm(e.ActorID), Role: string(e.ActorRole), Detail: norm(e.Detail)}
		if e.Evidence != nil {
			b, err := json.Marshal(e.Evidence)
			if err != nil {
				st.Evidence = "unreadable: " + err.Error()
			} else {
				st.Evidence = norm(string(b))
			}
		}
		out = append(out, st)
	}
	return out
}

// firstTimelineDifference names the first event where two normalised timelines differ, or
// returns "" when they are the same event for event.
func firstTimelineDifference(a, b []timelineStep, nameA, nameB string) string {
	for i := 0; i < len(a) || i < len(b); i++ {
		switch {
		case i >= len(a):
			return fmt.Sprintf("event %d: %s has none, %s has %s", i+1, nameA, nameB, b[i])
		case i >= len(b):
			return fmt.Sprintf("event %d: %s has %s, %s has none", i+1, nameA, a[i], nameB)
		case a[i] != b[i]:
			return fmt.Sprintf("event %d: %s has %s, %s has %s", i+1, nameA, a[i], nameB, b[i])
		}
	}
	return ""
}

// The comparison of the parity test can fail: a missing event, another actor role or another
// detail is named with its position; the case's own identifiers, dates and partner numbers
// are not differences.
func TestTimelineComparisonNamesTheFirstDifference(t *testing.T) {
	ev := func(caseID, kind string, role vocab.Role, detail string) store.Event {
		return store.Event{CaseID: caseID, Kind: kind, Stage: vocab.StageEnrolment, ActorID: "siti", ActorRole: role, Detail: detail}
	}
	a := []store.Event{
		ev("aaaa000001", "created", "", "enrolled in PKG-A on 2026-11-29T15:00:00+07:00"),
		ev("aaaa000001", "enrolment-approved", vocab.RoleCentreAdmin, "approved for Kartika Hidayat"),
		ev("aaaa000001", "kpj", "", "KPJ 12345678901 at 15:04"),
	}
	b := []store.Event{
		ev("bbbb000002", "created", "", "enrolled in PKG-B on 2026-11-30T09:30:00+07:00"),
		ev("bbbb000002", "enrolment-approved", vocab.RoleCentreAdmin, "approved for Nurul Ramadhan"),
		ev("bbbb000002", "kpj", "", "KPJ 99999999999 at 09:31"),
	}
	ta := normalisedTimeline(a, map[string]string{"aaaa000001": "<case>", "PKG-A": "<package>", "Kartika Hidayat": "<name>"})
	tb := func(evs []store.Event) []timelineStep {
		return normalisedTimeline(evs, map[string]string{"bbbb000002": "<case>", "PKG-B": "<package>", "Nurul Ramadhan": "<name>"})
	}
	if d := firstTimelineDifference(ta, tb(b), "cli", "pages"); d != "" {
		t.Fatalf("the same timeline differs: %s", d)
	}
	missing := append([]store.Event{b[0]}, b[2])
	if d := firstTimelineDifference(ta, tb(missing), "cli", "pages"); !strings.Contains(d, "event 2:") || !strings.Contains(d, "enrolment-approved") {
		t.Errorf("a missing event: %q", d)
	}
	other := append([]store.Event{}, b...)
	other[1].ActorRole = vocab.RoleCoordinator
	if d := firstTimelineDifference(ta, tb(other), "cli", "pages"); !strings.Contains(d, "event 2:") || !strings.Contains(d, "coordinator") {
		t.Errorf("another role: %q", d)
	}
	extra := append(append([]store.Event{}, b...), ev("bbbb000002", "attendance", vocab.RoleCentreAdmin, "1 present"))
	if d := firstTimelineDifference(ta, tb(extra), "cli", "pages"); !strings.Contains(d, "event 4: cli has none") {
		t.Errorf("an extra event: %q", d)
	}
}
