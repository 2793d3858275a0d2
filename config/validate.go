package config

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/internal/clientip"
	"github.com/bpvp-sidoarjo/kompeten/internal/outage"
)

// Validate checks every value and reports all problems at once, each naming its key, one per
// line in sorted order.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	addr := func(key, value string) {
		if err := checkAddr(value); err != nil {
			bad(key, "%v", err)
		}
	}
	positive := func(key string, d time.Duration) {
		if d <= 0 {
			bad(key, "must be a positive duration such as 48h or 30m, got %s", d)
		}
	}
	rate := func(key string, r float64) {
		if r < 0 || r > 1 {
			bad(key, "must be between 0 and 1, got %v", r)
		}
	}

	if strings.TrimSpace(c.DataDir) == "" {
		bad("data_dir", "must not be empty")
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.Log.Level)); err != nil {
		bad("log.level", "must be debug, info, warn or error, got %q", c.Log.Level)
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		bad("log.format", "must be text or json, got %q", c.Log.Format)
	}
	addr("http.addr", c.HTTP.Addr)
	addr("temporal.address", c.Temporal.Address)
	addr("dev.ui_addr", c.Dev.UIAddr)
	addr("simulators.addr", c.Simulators.Addr)
	if c.Temporal.Namespace == "" {
		bad("temporal.namespace", "must not be empty")
	}
	if c.Temporal.TaskQueue == "" {
		bad("temporal.task_queue", "must not be empty")
	}
	if c.Temporal.TLS.Enabled {
		if (c.Temporal.TLS.CertFile == "") != (c.Temporal.TLS.KeyFile == "") {
			bad("temporal.tls", "cert_file and key_file must be given together")
		}
		for _, f := range []struct{ key, file string }{
			{"temporal.tls.cert_file", c.Temporal.TLS.CertFile},
			{"temporal.tls.key_file", c.Temporal.TLS.KeyFile},
			{"temporal.tls.ca_file", c.Temporal.TLS.CAFile},
		} {
			if f.file != "" {
				if _, err := os.Stat(f.file); err != nil {
					bad(f.key, "cannot read %s: %v", f.file, err)
				}
			}
		}
	}
	if c.Dev.PostgresPort < 1 || c.Dev.PostgresPort > 65535 {
		bad("dev.postgres_port", "must be a port between 1 and 65535, got %d", c.Dev.PostgresPort)
	}
	if c.Database.URL != "" && !strings.HasPrefix(c.Database.URL, "postgres://") && !strings.HasPrefix(c.Database.URL, "postgresql://") {
		bad("database.url", "must start with postgres:// (e.g. postgres://user@host:5432/kompeten)")
	}
	if c.Temporal.Retention < 24*time.Hour {
		bad("temporal.retention", "must be at least 24h (Temporal's minimum), got %s", c.Temporal.Retention)
	}
	if c.Database.MaxConns < 1 {
		bad("database.max_conns", "must be at least 1, got %d", c.Database.MaxConns)
	}

	j := c.Journey
	if j.MinAge < 0 {
		bad("journey.min_age", "must not be negative")
	}
	if j.MaxAge != 0 && j.MaxAge < j.MinAge {
		bad("journey.max_age", "must be 0 (no bound) or at least journey.min_age (%d), got %d", j.MinAge, j.MaxAge)
	}
	if j.DefaultCapacity < 1 {
		bad("journey.default_capacity", "must be at least 1")
	}
	rate("journey.default_attendance", j.DefaultAttendance)
	if j.ReassessAttempts < 0 {
		bad("journey.reassess_attempts", "must not be negative")
	}
	if j.CertificateYears < 1 {
		bad("journey.certificate_years", "must be at least 1")
	}
	positive("journey.month", j.Month)
	positive("journey.result_poll_interval", j.ResultPollInterval)
	if j.FollowUpReminder < 0 {
		bad("journey.followup_reminder", "must not be negative (0: no reminder)")
	}
	positive("journey.selfreport_confirm", j.SelfReportConfirm)
	if len(j.FollowUpMonths) == 0 {
		bad("journey.followup_months", "needs at least one follow-up")
	}
	for i, m := range j.FollowUpMonths {
		if m <= 0 || (i > 0 && m <= j.FollowUpMonths[i-1]) {
			bad("journey.followup_months", "must be positive and increasing, got %v", j.FollowUpMonths)
			break
		}
	}
	positive("journey.agreement_poll", j.AgreementPoll)
	if j.AttendanceMode != "presence" && j.AttendanceMode != "absence" {
		bad("journey.attendance_mode", "must be presence or absence, got %q", j.AttendanceMode)
	}
	if _, err := time.LoadLocation(j.Timezone); err != nil {
		bad("journey.timezone", "unknown time zone %q", j.Timezone)
	}

	positive("sla.enrolment_approval", c.SLA.EnrolmentApproval)
	positive("sla.insurance", c.SLA.Insurance)
	positive("sla.correction", c.SLA.Correction)
	positive("sla.assessment_schedule", c.SLA.AssessmentSchedule)
	positive("sla.assessment_result", c.SLA.AssessmentResult)
	positive("sla.certification_approval", c.SLA.CertificationApproval)
	positive("sla.certificate_issue", c.SLA.CertificateIssue)
	positive("sla.agreement", c.SLA.Agreement)

	if c.Insurance.DeclaredIncome <= 0 {
		bad("insurance.declared_income", "must be positive")
	}
	rate("insurance.jkk_rate", c.Insurance.JKKRate)
	if c.Insurance.TailDays < 0 {
		bad("insurance.tail_days", "must not be negative")
	}

	if a := c.Partners.BPJS.Adapter; a != "http" && a != "batch" {
		bad("partners.bpjs.adapter", "must be http or batch, got %q", a)
	}
	if a := c.Partners.LSP.Adapter; a != "http" {
		bad("partners.lsp.adapter", "must be http, got %q", a)
	}
	switch c.Messaging.Channel {
	case "whatsapp", "sms", "none":
	default:
		bad("messaging.channel", "must be whatsapp, sms or none, got %q", c.Messaging.Channel)
	}
	positive("messaging.retry_window", c.Messaging.RetryWindow)
	rate("simulators.whatsapp.error_rate", c.Simulators.WhatsApp.ErrorRate)
	rate("simulators.sms.error_rate", c.Simulators.SMS.ErrorRate)
	positive("partners.bpjs.timeout", c.Partners.BPJS.Timeout)
	positive("partners.lsp.timeout", c.Partners.LSP.Timeout)
	positive("partners.retry_initial", c.Partners.RetryInitial)
	if c.Partners.RetryMax < c.Partners.RetryInitial {
		bad("partners.retry_max", "must be at least partners.retry_initial (%s), got %s", c.Partners.RetryInitial, c.Partners.RetryMax)
	}
	endpoints := map[string]PartnerConfig{"bpjs": c.Partners.BPJS, "lsp": c.Partners.LSP}
	for code, p := range c.Partners.LSPOverrides {
		endpoints["lsp_overrides."+code] = p
	}
	for _, name := range slices.Sorted(maps.Keys(endpoints)) {
		if p := endpoints[name]; c.Partners.AttemptTimeout <= p.Timeout {
			bad("partners.attempt_timeout", "must be longer than partners.%s.timeout (%s), got %s", name, p.Timeout, c.Partners.AttemptTimeout)
		}
	}

	for _, sim := range []struct {
		name string
		SimulatorConfig
	}{{"bpjs", c.Simulators.BPJS}, {"lsp", c.Simulators.LSP}} {
		rate("simulators."+sim.name+".error_rate", sim.ErrorRate)
		rate("simulators."+sim.name+".data_error_rate", sim.DataErrorRate)
		rate("simulators."+sim.name+".bk_rate", sim.BKRate)
		if _, err := outage.Parse(sim.Outages, time.Now()); err != nil {
			bad("simulators."+sim.name+".outages", "%v", err)
		}
	}
	if k := c.Security.ActorKey; k != "" && len(k) < 32 {
		bad("security.actor_key", "must be at least 32 characters (e.g. `openssl rand -hex 32`)")
	}
	positive("security.claim_window", c.Security.ClaimWindow)
	positive("security.session_idle", c.Security.SessionIdle)
	if _, err := clientip.Parse(c.Security.TrustedProxies); err != nil {
		bad("security.trusted_proxies", "%v", err)
	}
	positive("selfreport.link_ttl", c.SelfReport.LinkTTL)
	if c.SelfReport.VerifyPerMinute < 1 {
		bad("selfreport.verify_per_minute", "must be at least 1")
	}
	if k := c.SelfReport.Key; k != "" && len(k) < 32 {
		bad("selfreport.key", "must be at least 32 characters (e.g. `openssl rand -hex 32`)")
	}
	if p := c.Dev.Postgres; p != "auto" && p != "private" {
		bad("dev.postgres", "must be auto or private, got %q", p)
	}
	if k := c.Security.CodecToken; k != "" && len(k) < 32 {
		bad("security.codec_token", "must be at least 32 characters (e.g. `openssl rand -hex 32`)")
	}
	if len(c.Security.PayloadKeys) > 0 && c.Security.PayloadKeyFile != "" {
		bad("security.payload_keys", "set either security.payload_keys or security.payload_key_file, not both")
	}
	if f := c.Security.PayloadKeyFile; f != "" {
		if _, err := os.Stat(f); err != nil {
			bad("security.payload_key_file", "cannot read %s: %v", f, err)
		}
	}
	if c.Metrics.Addr != "" {
		addr("metrics.addr", c.Metrics.Addr)
	}
	positive("metrics.case_refresh", c.Metrics.CaseRefresh)
	c.Worker.validate(bad)
	c.Auth.OIDC.validate(bad)
	if c.MoU.SeedValidYears < 1 {
		bad("mou.seed_valid_years", "must be at least 1")
	}
	for _, d := range c.MoU.ReminderDays {
		if d < 1 {
			bad("mou.reminder_days", "must be positive days before the end, got %v", c.MoU.ReminderDays)
			break
		}
	}
	if u := c.MoU.ReminderWebhook; u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		bad("mou.reminder_webhook", "must be an http:// or https:// URL")
	}
	if !i18n.Known(c.Language) {
		bad("language", "must be one of %s, got %q", langList(), c.Language)
	}
	errs = append(errs, validateOps(c)...)
	// Sorted, so the same mistakes read the same on every start, whatever order the checks ran in.
	slices.SortStableFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

// checkAddr accepts host:port with a numeric port in range.
func checkAddr(s string) error {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("must be host:port, got %q", s)
	}
	_ = host
	n, err := strconv.Atoi(port)
	if err != nil {
		return fmt.Errorf("port %q is not a number", port)
	}
	if n < 0 || n > 65535 {
		return fmt.Errorf("port %d is out of range 0-65535", n)
	}
	return nil
}
