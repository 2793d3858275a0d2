package config

import "time"

// Default is the configuration before any file, environment variable or flag: the one place
// a key's default is declared. Load registers every field of it with viper (see keys.go),
// and everything else that needs a default (flag help, fallbacks) reads it from here.
func Default() Config {
	return Config{
		DataDir:  ".kompeten",
		Language: "id",
		Log:      LogConfig{Level: "info", Format: "text"},
		HTTP:     HTTPConfig{Addr: "127.0.0.1:8080"},
		Temporal: TemporalConfig{
			Address:   "127.0.0.1:7233",
			Namespace: "default",
			TaskQueue: "kompeten",
			// A closed case's history stays a month for the Web UI; the read model keeps the
			// case for good.
			Retention: 30 * 24 * time.Hour,
			WebUIURL:  "http://127.0.0.1:8233",
		},
		Dev:      DevConfig{UIAddr: "127.0.0.1:8233", PostgresPort: 55432, Postgres: "auto", Simulators: true},
		Database: DatabaseConfig{MaxConns: 10},
		Security: SecurityConfig{ClaimWindow: 5 * time.Minute, SessionIdle: 30 * time.Minute},
		Metrics:  MetricsConfig{CaseRefresh: 15 * time.Second},
		Journey: JourneyConfig{
			MinAge:             17,
			DefaultCapacity:    16,
			DefaultAttendance:  0.8,
			ReassessAttempts:   1,
			CertificateYears:   3,
			Month:              30 * 24 * time.Hour,
			FollowUpMonths:     []int{1, 3, 6, 12},
			FollowUpReminder:   7 * 24 * time.Hour,
			SelfReportConfirm:  14 * 24 * time.Hour,
			ResultPollInterval: 6 * time.Hour,
			// A safety net: agreement workflows signal the cases waiting for them.
			AgreementPoll:  6 * time.Hour,
			AttendanceMode: "presence",
			Timezone:       "Asia/Jakarta",
		},
		SLA: SLAConfig{
			EnrolmentApproval:     72 * time.Hour,
			Insurance:             48 * time.Hour,
			Correction:            7 * 24 * time.Hour,
			AssessmentSchedule:    72 * time.Hour,
			AssessmentResult:      14 * 24 * time.Hour,
			CertificationApproval: 7 * 24 * time.Hour,
			CertificateIssue:      72 * time.Hour,
			Agreement:             24 * time.Hour,
		},
		Insurance: InsuranceConfig{
			DeclaredIncome: 1_000_000,
			JKKRate:        0.01,
			JKKMin:         10_000,
			JKM:            6_800,
			MinMonthly:     16_800,
		},
		Partners: PartnersConfig{
			InsurerCode:    "BPJSTK-JATIM",
			AttemptTimeout: time.Minute,
			RetryInitial:   2 * time.Second,
			RetryMax:       10 * time.Minute,
			BPJS:           PartnerConfig{Adapter: "http", Timeout: 15 * time.Second},
			LSP:            PartnerConfig{Adapter: "http", Timeout: 15 * time.Second},
		},
		Simulators: SimulatorsConfig{
			BPJS: SimulatorConfig{Latency: 50 * time.Millisecond, ErrorRate: 0.05},
			LSP: SimulatorConfig{
				Latency: 50 * time.Millisecond, ErrorRate: 0.05,
				BKRate: 0.1, ScheduleLead: 24 * time.Hour, ResultDelay: 24 * time.Hour,
			},
			WhatsApp: MessagingSimulatorConfig{Latency: 50 * time.Millisecond, ErrorRate: 0.05, StatusDelay: time.Second},
			SMS:      MessagingSimulatorConfig{Latency: 50 * time.Millisecond, ErrorRate: 0.05, StatusDelay: time.Second},
			Addr:     "127.0.0.1:8090",
		},
		Messaging: MessagingConfig{
			Channel:     "whatsapp",
			RetryWindow: 24 * time.Hour,
			WhatsApp:    WhatsAppMessagingConf{Version: "v21.0", Language: "id", Timeout: 15 * time.Second},
			SMS:         SMSMessagingConf{Sender: "KOMPETEN", Timeout: 15 * time.Second},
		},
		MoU:    MoUConfig{SeedValidYears: 5, ReminderDays: []int{90, 30, 7}},
		Notify: NotifyConfig{Timeout: 10 * time.Second},
		Digest: DigestConfig{Enabled: true, Time: "07:00", Language: "id"},
		// Escalations go to the same kind of shared channel as the digest: Indonesian unless set.
		Escalation: EscalationConfig{Language: "id"},
		// A follow-up link lives as long as the issue asks (14 days); the 100th certificate
		// check in a minute from one address is refused.
		SelfReport: SelfReportConfig{LinkTTL: 14 * 24 * time.Hour, VerifyPerMinute: 99},
		Auth:       AuthConfig{OIDC: OIDCConfig{RoleClaim: "kompeten_role", ScopeClaim: "kompeten_scope", UsernameClaim: "preferred_username"}},
		// Worker: every count 0 keeps the Temporal SDK's default (see BENCHMARKS.md before
		// changing one). A draining worker waits as long as one partner call attempt may take.
		// Versioning is off until an installation opts in (README, Production); then the first
		// worker of a new deployment makes its build current.
		Worker: WorkerConfig{StopTimeout: time.Minute, DeploymentName: "kompeten", PromoteFirst: true},
	}
}
