// Package starter is the client side of kompeten: it starts journeys (one per participant per
// package), sends the human steps to running journeys as Temporal updates, and reads case
// state. The HTTP API, the CLI's import and the tests all go through it.
package starter

import (
	"time"

	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// SettingsFrom copies the journey rules out of the configuration; each journey keeps the copy
// it started with.
func SettingsFrom(c *config.Config) workflows.Settings {
	return workflows.Settings{
		MinAge:                c.Journey.MinAge,
		MaxAge:                c.Journey.MaxAge,
		ReassessAttempts:      c.Journey.ReassessAttempts,
		CertificateYears:      c.Journey.CertificateYears,
		FollowUpMonths:        append([]int(nil), c.Journey.FollowUpMonths...),
		Month:                 c.Journey.Month,
		ResultPollInterval:    c.Journey.ResultPollInterval,
		AgreementPoll:         c.Journey.AgreementPoll,
		InsuranceTailDays:     c.Insurance.TailDays,
		PartnerAttemptTimeout: c.Partners.AttemptTimeout,
		PartnerRetryInitial:   c.Partners.RetryInitial,
		PartnerRetryMax:       c.Partners.RetryMax,
		InsuranceAdapter:      c.Partners.BPJS.Adapter,
		AttendanceMode:        c.Journey.AttendanceMode,
		Timezone:              c.Journey.Timezone,
		ClaimWindow:           c.Security.ClaimWindow,
		MessageRetryWindow:    c.Messaging.RetryWindow,
		FollowUpReminder:      c.Journey.FollowUpReminder,
		SelfReportConfirm:     c.Journey.SelfReportConfirm,
		// A conversion, which compiles only while the two blocks have the same fields: a new SLA
		// is added to both and copied without a line here.
		SLA: workflows.SLA(c.SLA),
	}
}

// TrainingDays counts the calendar days from the first to the last training day, inclusive;
// a package shorter than a day (a demo) counts as one day.
func TrainingDays(start, end time.Time, loc *time.Location) int {
	s := start.In(loc)
	e := end.In(loc)
	sd := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, time.UTC)
	ed := time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, time.UTC)
	days := int(ed.Sub(sd).Hours()/24) + 1
	if days < 1 {
		days = 1
	}
	return days
}
