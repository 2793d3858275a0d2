package config

import "time"

// MessagingConfig chooses how trainees get their messages (issue 18) and reaches the provider.
type MessagingConfig struct {
	// Channel is "whatsapp", "sms" or "none". A channel without its base_url sends nothing: each
	// message is recorded "skipped" on its case, and the worker says so at start.
	Channel string `mapstructure:"channel" yaml:"channel"`
	// RetryWindow is how long a failing message is retried before it is recorded failed; the
	// journey never waits for it.
	RetryWindow time.Duration         `mapstructure:"retry_window" yaml:"retry_window"`
	WhatsApp    WhatsAppMessagingConf `mapstructure:"whatsapp" yaml:"whatsapp"`
	SMS         SMSMessagingConf      `mapstructure:"sms" yaml:"sms"`
}

// WhatsAppMessagingConf reaches the WhatsApp Business Cloud API.
type WhatsAppMessagingConf struct {
	BaseURL       string        `mapstructure:"base_url" yaml:"base_url"`
	Version       string        `mapstructure:"version" yaml:"version"`
	PhoneNumberID string        `mapstructure:"phone_number_id" yaml:"phone_number_id"`
	Token         string        `mapstructure:"token" yaml:"token"`
	AppSecret     string        `mapstructure:"app_secret" yaml:"app_secret"`
	VerifyToken   string        `mapstructure:"verify_token" yaml:"verify_token"`
	Language      string        `mapstructure:"language" yaml:"language"`
	Timeout       time.Duration `mapstructure:"timeout" yaml:"timeout"`
}

// SMSMessagingConf reaches the HTTP SMS gateway.
type SMSMessagingConf struct {
	BaseURL string        `mapstructure:"base_url" yaml:"base_url"`
	APIKey  string        `mapstructure:"api_key" yaml:"api_key"`
	Sender  string        `mapstructure:"sender" yaml:"sender"`
	Secret  string        `mapstructure:"secret" yaml:"secret"`
	Timeout time.Duration `mapstructure:"timeout" yaml:"timeout"`
}

// MessagingSimulatorConfig shapes a messaging simulator: latency and share of failed sends,
// and how long after a send its statuses are posted to the webhook.
type MessagingSimulatorConfig struct {
	Latency     time.Duration `mapstructure:"latency" yaml:"latency"`
	ErrorRate   float64       `mapstructure:"error_rate" yaml:"error_rate"`
	StatusDelay time.Duration `mapstructure:"status_delay" yaml:"status_delay"`
}
