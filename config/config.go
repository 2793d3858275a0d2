// Package config loads kompeten's configuration from defaults, a YAML file (kompeten.yaml),
// KOMPETEN_* environment variables and command-line flags (each overriding the one before),
// and validates it with messages that name the offending key.
package config

import "time"

// Config is the whole effective configuration.
type Config struct {
	DataDir string `mapstructure:"data_dir" yaml:"data_dir"`
	// Language is the command line's language ("id", the default, or "en"): the operator
	// commands send it as Accept-Language, so the API words its refusals in it.
	Language   string           `mapstructure:"language" yaml:"language"`
	Log        LogConfig        `mapstructure:"log" yaml:"log"`
	HTTP       HTTPConfig       `mapstructure:"http" yaml:"http"`
	Temporal   TemporalConfig   `mapstructure:"temporal" yaml:"temporal"`
	Dev        DevConfig        `mapstructure:"dev" yaml:"dev"`
	Database   DatabaseConfig   `mapstructure:"database" yaml:"database"`
	Security   SecurityConfig   `mapstructure:"security" yaml:"security"`
	Journey    JourneyConfig    `mapstructure:"journey" yaml:"journey"`
	SLA        SLAConfig        `mapstructure:"sla" yaml:"sla"`
	Insurance  InsuranceConfig  `mapstructure:"insurance" yaml:"insurance"`
	Partners   PartnersConfig   `mapstructure:"partners" yaml:"partners"`
	Simulators SimulatorsConfig `mapstructure:"simulators" yaml:"simulators"`
	Messaging  MessagingConfig  `mapstructure:"messaging" yaml:"messaging"`
	MoU        MoUConfig        `mapstructure:"mou" yaml:"mou"`
	Worker     WorkerConfig     `mapstructure:"worker" yaml:"worker"`
	Metrics    MetricsConfig    `mapstructure:"metrics" yaml:"metrics"`
	Notify     NotifyConfig     `mapstructure:"notify" yaml:"notify"`
	Digest     DigestConfig     `mapstructure:"digest" yaml:"digest"`
	Escalation EscalationConfig `mapstructure:"escalation" yaml:"escalation"`
	SelfReport SelfReportConfig `mapstructure:"selfreport" yaml:"selfreport"`
	Auth       AuthConfig       `mapstructure:"auth" yaml:"auth"`

	file string
}

// LogConfig sets how kompeten logs.
type LogConfig struct {
	Level  string `mapstructure:"level" yaml:"level"`   // debug | info | warn | error
	Format string `mapstructure:"format" yaml:"format"` // text | json
}

// HTTPConfig is the HTTP API and pages.
type HTTPConfig struct {
	Addr string `mapstructure:"addr" yaml:"addr"`
}

// TemporalConfig says how to reach the Temporal cluster (or where the embedded one listens).
type TemporalConfig struct {
	Address   string `mapstructure:"address" yaml:"address"`
	Namespace string `mapstructure:"namespace" yaml:"namespace"`
	TaskQueue string `mapstructure:"task_queue" yaml:"task_queue"`
	// Retention is how long the namespace keeps a closed workflow's history; `kompeten setup`
	// registers the namespace with it (or updates it).
	Retention time.Duration `mapstructure:"retention" yaml:"retention"`
	APIKey    string        `mapstructure:"api_key" yaml:"api_key"`
	TLS       TLSConfig     `mapstructure:"tls" yaml:"tls"`
	// WebUIURL is used to link cases to the Temporal Web UI.
	WebUIURL string `mapstructure:"web_ui_url" yaml:"web_ui_url"`
}

// TLSConfig enables TLS (and mTLS with a client certificate) towards the Temporal frontend.
type TLSConfig struct {
	Enabled    bool   `mapstructure:"enabled" yaml:"enabled"`
	CertFile   string `mapstructure:"cert_file" yaml:"cert_file"`
	KeyFile    string `mapstructure:"key_file" yaml:"key_file"`
	CAFile     string `mapstructure:"ca_file" yaml:"ca_file"`
	ServerName string `mapstructure:"server_name" yaml:"server_name"`
}

// DevConfig is only used by `kompeten dev` (the embedded server).
type DevConfig struct {
	UIAddr string `mapstructure:"ui_addr" yaml:"ui_addr"`
	// PostgresPort is where the private PostgreSQL cluster listens when one is needed.
	PostgresPort int `mapstructure:"postgres_port" yaml:"postgres_port"`
	// Postgres is "auto" (database.url, else the local server on 5432, else a private cluster)
	// or "private" (always a private cluster in the data directory).
	Postgres string `mapstructure:"postgres" yaml:"postgres"`
	// Simulators serves the BPJS and LSP simulators on the HTTP address (under /sim/...).
	Simulators bool `mapstructure:"simulators" yaml:"simulators"`
}

// DatabaseConfig is the PostgreSQL connection.
type DatabaseConfig struct {
	URL      string `mapstructure:"url" yaml:"url"`
	MaxConns int    `mapstructure:"max_conns" yaml:"max_conns"`
	// MigrateOnStart has `kompeten serve` apply pending migrations at start; off, serve refuses
	// to start on a schema older than its own and says to run `kompeten migrate`.
	MigrateOnStart bool `mapstructure:"migrate_on_start" yaml:"migrate_on_start"`
}

// SecurityConfig holds the keys kompeten uses to protect personal data.
type SecurityConfig struct {
	// NIKHashKey keys the hash that stands for a NIK in workflow IDs and lookups.
	// Empty in dev: a key is generated into the data directory on first start.
	NIKHashKey string `mapstructure:"nik_hash_key" yaml:"nik_hash_key"`
	// PayloadKeys encrypt Temporal payloads: "id:base64key" entries (32-byte AES-256 keys), the
	// first one encrypts, all decrypt (rotation). Empty: PayloadKeyFile, else the dev key file.
	PayloadKeys []string `mapstructure:"payload_keys" yaml:"payload_keys"`
	// PayloadKeyFile holds the same entries, one per line, the primary first.
	PayloadKeyFile string `mapstructure:"payload_key_file" yaml:"payload_key_file"`
	// CodecToken guards the codec endpoint (/codec) the Temporal Web UI and CLI decode through.
	// Empty turns the endpoint off (dev generates one).
	CodecToken string `mapstructure:"codec_token" yaml:"codec_token"`
	// CodecOrigins are the browser origins (the Temporal Web UI) allowed to call /codec.
	CodecOrigins []string `mapstructure:"codec_origins" yaml:"codec_origins"`
	// ActorKey signs the actor claim the API puts on every human step; workers verify it. The
	// API and every worker share it. Empty in dev: generated into the data directory.
	ActorKey string `mapstructure:"actor_key" yaml:"actor_key"`
	// ClaimWindow is how old a signed claim may be when a workflow judges it: an older one (a
	// captured claim resent later) is refused. Copied into each journey and agreement when it
	// starts, like its other rules.
	ClaimWindow time.Duration `mapstructure:"claim_window" yaml:"claim_window"`
	// SessionIdle ends a login session of the pages after this long without a request.
	SessionIdle time.Duration `mapstructure:"session_idle" yaml:"session_idle"`
	// TrustedProxies are the reverse proxies (addresses or CIDR prefixes) whose X-Forwarded-For
	// header names the client; the login throttle and the public pages' rate limits count
	// clients by that address. Empty: the connection's peer is the client.
	TrustedProxies []string `mapstructure:"trusted_proxies" yaml:"trusted_proxies"`
}

// MetricsConfig is the Prometheus endpoint.
type MetricsConfig struct {
	// Addr is where `kompeten worker` serves GET /metrics; empty: no endpoint. The HTTP server
	// (dev, serve) always serves /metrics on http.addr.
	Addr string `mapstructure:"addr" yaml:"addr"`
	// CaseRefresh is how old the case gauges read from the read model may be at a scrape.
	CaseRefresh time.Duration `mapstructure:"case_refresh" yaml:"case_refresh"`
}

// JourneyConfig holds the rules of the participant journey.
type JourneyConfig struct {
	MinAge            int     `mapstructure:"min_age" yaml:"min_age"`
	MaxAge            int     `mapstructure:"max_age" yaml:"max_age"` // 0 = no upper bound
	DefaultCapacity   int     `mapstructure:"default_capacity" yaml:"default_capacity"`
	DefaultAttendance float64 `mapstructure:"default_attendance" yaml:"default_attendance"`
	ReassessAttempts  int     `mapstructure:"reassess_attempts" yaml:"reassess_attempts"`
	CertificateYears  int     `mapstructure:"certificate_years" yaml:"certificate_years"`
	// Month is the length of one follow-up month; shorten it to watch a whole journey in minutes.
	Month          time.Duration `mapstructure:"month" yaml:"month"`
	FollowUpMonths []int         `mapstructure:"followup_months" yaml:"followup_months"`
	// FollowUpReminder is how long after a follow-up's message an unanswered graduate gets one
	// reminder, and how long after that the follow-up is left to a phone call; at most a
	// quarter of Month (a shortened month shortens it too).
	FollowUpReminder time.Duration `mapstructure:"followup_reminder" yaml:"followup_reminder"`
	// SelfReportConfirm is how long a graduate's self-reported placement waits for staff to
	// confirm or correct it before the case closes with it, unconfirmed.
	SelfReportConfirm time.Duration `mapstructure:"selfreport_confirm" yaml:"selfreport_confirm"`
	// ResultPollInterval is how often an assessment result is fetched from the LSP.
	ResultPollInterval time.Duration `mapstructure:"result_poll_interval" yaml:"result_poll_interval"`
	// AgreementPoll is how often a case waiting for an agreement checks again.
	AgreementPoll time.Duration `mapstructure:"agreement_poll" yaml:"agreement_poll"`
	// AttendanceMode is "presence" (days attended are recorded) or "absence" (only days missed are).
	AttendanceMode string `mapstructure:"attendance_mode" yaml:"attendance_mode"`
	// Timezone interprets package dates (WIB for East Java).
	Timezone string `mapstructure:"timezone" yaml:"timezone"`
}

// SLAConfig is how long each wait may last before a case is marked stuck.
type SLAConfig struct {
	EnrolmentApproval     time.Duration `mapstructure:"enrolment_approval" yaml:"enrolment_approval"`
	Insurance             time.Duration `mapstructure:"insurance" yaml:"insurance"`
	Correction            time.Duration `mapstructure:"correction" yaml:"correction"`
	AssessmentSchedule    time.Duration `mapstructure:"assessment_schedule" yaml:"assessment_schedule"`
	AssessmentResult      time.Duration `mapstructure:"assessment_result" yaml:"assessment_result"`
	CertificationApproval time.Duration `mapstructure:"certification_approval" yaml:"certification_approval"`
	CertificateIssue      time.Duration `mapstructure:"certificate_issue" yaml:"certificate_issue"`
	Agreement             time.Duration `mapstructure:"agreement" yaml:"agreement"`
}

// InsuranceConfig holds BPJS Ketenagakerjaan contribution rules for the BPU category.
type InsuranceConfig struct {
	DeclaredIncome int64   `mapstructure:"declared_income" yaml:"declared_income"`
	JKKRate        float64 `mapstructure:"jkk_rate" yaml:"jkk_rate"`
	JKKMin         int64   `mapstructure:"jkk_min" yaml:"jkk_min"`
	JKM            int64   `mapstructure:"jkm" yaml:"jkm"`
	MinMonthly     int64   `mapstructure:"min_monthly" yaml:"min_monthly"`
	// TailDays extends coverage past the last training day.
	TailDays int `mapstructure:"tail_days" yaml:"tail_days"`
}

// PartnersConfig says how each partner is reached.
type PartnersConfig struct {
	// InsurerCode is the registry code of the insurer whose MoU covers the centres.
	InsurerCode string `mapstructure:"insurer_code" yaml:"insurer_code"`
	// AttemptTimeout is how long the workflow gives one partner call before it counts the
	// attempt as lost and retries it: the bound on how long a crashed worker delays a case. It
	// must outlast every partner's own HTTP timeout, or a slow answer is retried while it runs.
	AttemptTimeout time.Duration `mapstructure:"attempt_timeout" yaml:"attempt_timeout"`
	// RetryInitial and RetryMax shape the backoff of a failing partner: the first retry after
	// RetryInitial, each next one twice as late, never later than RetryMax after the last. So a
	// partner back from an outage is noticed at most RetryMax later.
	RetryInitial time.Duration `mapstructure:"retry_initial" yaml:"retry_initial"`
	RetryMax     time.Duration `mapstructure:"retry_max" yaml:"retry_max"`
	BPJS         PartnerConfig `mapstructure:"bpjs" yaml:"bpjs"`
	LSP          PartnerConfig `mapstructure:"lsp" yaml:"lsp"`
	// LSPOverrides reaches a particular LSP (by registry code) somewhere else.
	LSPOverrides map[string]PartnerConfig `mapstructure:"lsp_overrides" yaml:"lsp_overrides"`
}

// PartnerConfig is one partner endpoint.
type PartnerConfig struct {
	// Adapter is "http" (an API) or, for BPJS, "batch" (spreadsheet exchange with the branch office).
	Adapter string        `mapstructure:"adapter" yaml:"adapter"`
	BaseURL string        `mapstructure:"base_url" yaml:"base_url"`
	APIKey  string        `mapstructure:"api_key" yaml:"api_key"`
	Timeout time.Duration `mapstructure:"timeout" yaml:"timeout"`
}

// SimulatorsConfig shapes the partner simulators' behaviour.
type SimulatorsConfig struct {
	BPJS SimulatorConfig `mapstructure:"bpjs" yaml:"bpjs"`
	LSP  SimulatorConfig `mapstructure:"lsp" yaml:"lsp"`
	// WhatsApp and SMS are the messaging simulators (issue 18).
	WhatsApp MessagingSimulatorConfig `mapstructure:"whatsapp" yaml:"whatsapp"`
	SMS      MessagingSimulatorConfig `mapstructure:"sms" yaml:"sms"`
	// Addr is where `kompeten simulate` listens.
	Addr string `mapstructure:"addr" yaml:"addr"`
}

// SimulatorConfig is one simulator's latency and failure behaviour.
type SimulatorConfig struct {
	Latency       time.Duration `mapstructure:"latency" yaml:"latency"`
	ErrorRate     float64       `mapstructure:"error_rate" yaml:"error_rate"`
	DataErrorRate float64       `mapstructure:"data_error_rate" yaml:"data_error_rate"`
	BKRate        float64       `mapstructure:"bk_rate" yaml:"bk_rate"`
	ScheduleLead  time.Duration `mapstructure:"schedule_lead" yaml:"schedule_lead"`
	ResultDelay   time.Duration `mapstructure:"result_delay" yaml:"result_delay"`
	// Outages are windows of total unavailability, START/DURATION ("+5m/10m" from start-up).
	Outages []string `mapstructure:"outages" yaml:"outages"`
}

// MoUConfig gives the validity of seeded agreements (the article does not state it) and when
// the coordinator is reminded that an agreement ends.
type MoUConfig struct {
	SeedValidYears int `mapstructure:"seed_valid_years" yaml:"seed_valid_years"`
	// ReminderDays are the reminders before an agreement's last day, in days.
	ReminderDays []int `mapstructure:"reminder_days" yaml:"reminder_days"`
	// ReminderWebhook, when set, receives each reminder as a JSON POST.
	ReminderWebhook string `mapstructure:"reminder_webhook" yaml:"reminder_webhook"`
}

// SelfReportConfig shapes the graduates' own channel (issue 18): the follow-up links they
// answer without a login, and the public certificate check.
type SelfReportConfig struct {
	// LinkTTL is how long a follow-up link works (it also works only once).
	LinkTTL time.Duration `mapstructure:"link_ttl" yaml:"link_ttl"`
	// PublicURL is the address graduates and employers reach kompeten at; links and the
	// certificate's QR code start with it. Empty: http:// and http.addr (dev).
	PublicURL string `mapstructure:"public_url" yaml:"public_url"`
	// Key signs the follow-up links (at least 32 characters). Empty: the data directory's key
	// (selfreport.key), generated there in dev.
	Key string `mapstructure:"key" yaml:"key"`
	// VerifyPerMinute is how many certificate checks one client address may make in a minute;
	// the next is refused until the minute is over.
	VerifyPerMinute int `mapstructure:"verify_per_minute" yaml:"verify_per_minute"`
}
