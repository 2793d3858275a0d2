package config

import "time"

// defaults lists every key with its default, so that every key can also be set from the
// environment (viper only maps KOMPETEN_* variables onto keys it knows).
var defaults = map[string]any{
	"data_dir":   ".kompeten",
	"log.level":  "info",
	"log.format": "text",

	"http.addr": "127.0.0.1:8080",

	"temporal.address":         "127.0.0.1:7233",
	"temporal.namespace":       "default",
	"temporal.task_queue":      "kompeten",
	"temporal.api_key":         "",
	"temporal.tls.enabled":     false,
	"temporal.tls.cert_file":   "",
	"temporal.tls.key_file":    "",
	"temporal.tls.ca_file":     "",
	"temporal.tls.server_name": "",
	"temporal.web_ui_url":      "http://127.0.0.1:8233",

	"dev.ui_addr":       "127.0.0.1:8233",
	"dev.postgres_port": 55432,
	"dev.simulators":    true,

	"database.url":       "",
	"database.max_conns": 10,

	"security.nik_hash_key":     "",
	"security.payload_keys":     []string{},
	"security.payload_key_file": "",
	"security.codec_token":      "",
	"security.actor_key":        "",
	"security.codec_origins":    []string{},

	"metrics.addr":         "",
	"metrics.case_refresh": 15 * time.Second,

	"journey.min_age":              17,
	"journey.max_age":              0,
	"journey.default_capacity":     16,
	"journey.default_attendance":   0.8,
	"journey.reassess_attempts":    1,
	"journey.certificate_years":    3,
	"journey.month":                30 * 24 * time.Hour,
	"journey.followup_months":      []int{1, 3, 6, 12},
	"journey.result_poll_interval": 6 * time.Hour,
	"journey.timezone":             "Asia/Jakarta",
	"journey.agreement_poll":       6 * time.Hour, // a safety net: agreement workflows signal waiting cases
	"journey.attendance_mode":      "presence",

	"sla.enrolment_approval":     72 * time.Hour,
	"sla.insurance":              48 * time.Hour,
	"sla.correction":             7 * 24 * time.Hour,
	"sla.assessment_schedule":    72 * time.Hour,
	"sla.assessment_result":      14 * 24 * time.Hour,
	"sla.certification_approval": 7 * 24 * time.Hour,
	"sla.certificate_issue":      72 * time.Hour,
	"sla.agreement":              24 * time.Hour,

	"insurance.declared_income": int64(1_000_000),
	"insurance.jkk_rate":        0.01,
	"insurance.jkk_min":         int64(10_000),
	"insurance.jkm":             int64(6_800),
	"insurance.min_monthly":     int64(16_800),
	"insurance.tail_days":       0,

	"partners.insurer_code":    "BPJSTK-JATIM",
	"partners.attempt_timeout": time.Minute,
	"partners.retry_initial":   2 * time.Second,
	"partners.retry_max":       10 * time.Minute,
	"partners.bpjs.adapter":    "http",
	"partners.bpjs.base_url":   "",
	"partners.bpjs.api_key":    "",
	"partners.bpjs.timeout":    15 * time.Second,
	"partners.lsp.adapter":     "http",
	"partners.lsp.base_url":    "",
	"partners.lsp.api_key":     "",
	"partners.lsp.timeout":     15 * time.Second,

	"simulators.bpjs.outages":         []string{},
	"simulators.lsp.outages":          []string{},
	"simulators.addr":                 "127.0.0.1:8090",
	"simulators.bpjs.latency":         50 * time.Millisecond,
	"simulators.bpjs.error_rate":      0.05,
	"simulators.bpjs.data_error_rate": 0.0,
	"simulators.lsp.latency":          50 * time.Millisecond,
	"simulators.lsp.error_rate":       0.05,
	"simulators.lsp.data_error_rate":  0.0,
	"simulators.lsp.bk_rate":          0.1,
	"simulators.lsp.schedule_lead":    24 * time.Hour,
	"simulators.lsp.result_delay":     24 * time.Hour,

	"mou.seed_valid_years": 5,
	"mou.reminder_days":    []int{90, 30, 7},
	"mou.reminder_webhook": "",

	"notify.webhook_url": "",
	"notify.timeout":     10 * time.Second,
	"digest.enabled":     true,
	"digest.time":        "07:00",

	// 0 keeps the Temporal SDK's default (see BENCHMARKS.md before changing one).
	"worker.workflow_pollers":                0,
	"worker.activity_pollers":                0,
	"worker.max_concurrent_workflow_tasks":   0,
	"worker.max_concurrent_activities":       0,
	"worker.max_concurrent_local_activities": 0,
	"worker.sticky_cache_size":               0,
}
