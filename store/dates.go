package store

import "time"

// dateOnly keeps the calendar date of t as seen in t's own location. Dates (package start, MoU
// validity) are local calendar days; converting through UTC first would shift a WIB midnight to
// the previous day.
func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// nullTime maps the zero time to NULL so optional timestamps stay empty instead of year 1.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// nullString maps "" to NULL for optional foreign keys.
func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
