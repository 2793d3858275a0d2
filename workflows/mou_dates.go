package workflows

import (
	"slices"
	"time"
)

// Agreement dates are calendar days. A day starts at midnight in the network's time zone, so an
// agreement valid from 2 January becomes active at 00:00 WIB, not at 07:00 when UTC catches up.

// calendarDay keeps the date of t as seen in loc, as midnight UTC (how the store keeps dates).
func calendarDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dayStart is the instant a calendar day begins in loc.
func dayStart(day time.Time, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
}

// dateOf normalises a date given by a caller (any time of day, any zone) to its calendar day
// as written: "2026-03-01" in WIB stays 1 March.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// loc is the network's time zone (Settings.Timezone), loaded once; UTC without one.
func (w *mou) loc() *time.Location {
	if w.location == nil {
		w.location = zoneOrUTC(w.in.Settings.Timezone)
	}
	return w.location
}

// lastDay is the last day covered: the end of validity, or the day before an early termination.
func (w *mou) lastDay() time.Time {
	s := w.state
	if s.TerminatedOn != nil && !s.TerminatedOn.After(s.ValidUntil) {
		return s.TerminatedOn.AddDate(0, 0, -1)
	}
	return s.ValidUntil
}

// start and end are the instants the validity begins and ends.
func (w *mou) start() time.Time { return dayStart(w.state.ValidFrom, w.loc()) }
func (w *mou) end() time.Time   { return dayStart(w.lastDay().AddDate(0, 0, 1), w.loc()) }

// reminderAt is when the reminder `days` before the end is due.
func (w *mou) reminderAt(days int) time.Time {
	return dayStart(w.lastDay().AddDate(0, 0, 1-days), w.loc())
}

// reminderDays are the configured offsets (DefaultReminderDays when none), largest first.
func (w *mou) reminderDays() []int {
	ds := slices.Clone(w.in.Settings.ReminderDays)
	if ds == nil {
		ds = slices.Clone(DefaultReminderDays)
	}
	slices.Sort(ds)
	slices.Reverse(ds)
	return slices.Compact(ds)
}

// reconcileReminders forgets, after the end date moved, the reminders whose moment is now in the
// future: they are sent again for the new end. One already due for the new end but never sent
// stays unsent, so the next step sends it.
func (w *mou) reconcileReminders(now time.Time) {
	var kept []int
	for _, d := range w.state.RemindersSent {
		if !now.Before(w.reminderAt(d)) {
			kept = append(kept, d)
		}
	}
	w.state.RemindersSent = kept
}
