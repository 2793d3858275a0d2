// Package temporalclient dials the Temporal frontend from kompeten's configuration: plain for
// the embedded dev server, TLS (optionally with a client certificate) or an API key for a
// production cluster. Every client it makes (and so every worker built on one) encrypts
// payloads with the configured keys: it is the one place kompeten connects to Temporal.
package temporalclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/metrics"
)

// Option adjusts the client options Dial uses.
type Option func(*client.Options)

// WithMetrics reports the SDK's metrics (requests, polls, task latencies) to h instead of the
// process's metrics.Default.
func WithMetrics(h client.MetricsHandler) Option {
	return func(o *client.Options) { o.MetricsHandler = h }
}

// Dial connects to Temporal and checks that the frontend answers. Payloads are encrypted with
// the keyring from security.payload_keys (see Keyring); without keys it refuses to connect.
func Dial(ctx context.Context, cfg *config.Config, logger *slog.Logger, options ...Option) (client.Client, error) {
	ring, err := Keyring(cfg)
	if err != nil {
		return nil, err
	}
	dc := codec.DataConverter(ring)
	options = append([]Option{func(o *client.Options) {
		o.DataConverter = dc
		o.FailureConverter = codec.FailureConverter(dc)
	}}, options...)
	return dial(ctx, cfg, logger, options...)
}

// DialAdmin connects to Temporal for the namespace and search-attribute calls of `kompeten
// setup`, which carry no payload: it needs no payload keys, only temporal.* (address, TLS,
// API key).
func DialAdmin(ctx context.Context, cfg *config.Config, logger *slog.Logger) (client.Client, error) {
	return dial(ctx, cfg, logger)
}

func dial(ctx context.Context, cfg *config.Config, logger *slog.Logger, options ...Option) (client.Client, error) {
	c := cfg.Temporal
	opts := client.Options{
		HostPort:       c.Address,
		Namespace:      c.Namespace,
		Logger:         sdklog.NewStructuredLogger(logger.With("component", "temporal-sdk")),
		MetricsHandler: metrics.Default.SDK(),
	}
	for _, o := range options {
		o(&opts)
	}
	if c.TLS.Enabled || c.APIKey != "" {
		tc, err := tlsConfig(c.TLS)
		if err != nil {
			return nil, err
		}
		opts.ConnectionOptions.TLS = tc
	}
	if c.APIKey != "" {
		opts.Credentials = client.NewAPIKeyStaticCredentials(c.APIKey)
	}
	cl, err := client.DialContext(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("connect to temporal at %s (namespace %s): %w", c.Address, c.Namespace, err)
	}
	return cl, nil
}

func tlsConfig(t config.TLSConfig) (*tls.Config, error) {
	tc := &tls.Config{ServerName: t.ServerName, MinVersion: tls.VersionTLS12}
	if t.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("temporal.tls: load client certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("temporal.tls.ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("temporal.tls.ca_file: no certificate found in %s", t.CAFile)
		}
		tc.RootCAs = pool
	}
	return tc, nil
}
