package app

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
)

// codecTokenFile holds the generated codec endpoint token in the data directory.
const codecTokenFile = "codec.token"

// EnsurePayloadKey creates the dev payload key file in the data directory when no key is
// configured and none was generated before, so `kompeten dev` encrypts from its first start.
// It reports the file's path when it wrote one.
func EnsurePayloadKey(c *config.Config) (string, error) {
	if len(c.Security.PayloadKeys) > 0 || c.Security.PayloadKeyFile != "" {
		return "", nil
	}
	path := filepath.Join(c.DataDir, temporalclient.DevKeyFile)
	if _, err := os.Stat(path); err == nil {
		return "", nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("security.payload_keys: %w", err)
	}
	entry, err := codec.NewKey("dev-" + time.Now().UTC().Format("20060102"))
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return "", fmt.Errorf("create data directory %s: %w", c.DataDir, err)
	}
	body := "# kompeten payload keys: id:base64 (AES-256), the first encrypts, all decrypt.\n" +
		"# To rotate, put a new key on the first line and keep the old ones below it.\n" + entry + "\n"
	// O_EXCL: two processes starting at once must not each write (and use) a different key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("write payload key %s: %w", path, err)
	}
	if _, err := f.WriteString(body); err != nil {
		f.Close()
		return "", fmt.Errorf("write payload key %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write payload key %s: %w", path, err)
	}
	return path, nil
}

// CodecToken returns the token of the codec endpoint: security.codec_token when set; else the
// token in the data directory, generated on first use when generate is true (dev). "" means the
// endpoint stays off.
func CodecToken(c *config.Config, generate bool) (string, error) {
	if t := strings.TrimSpace(c.Security.CodecToken); t != "" {
		return t, nil
	}
	path := filepath.Join(c.DataDir, codecTokenFile)
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("security.codec_token: read %s: %w", path, err)
	}
	if !generate {
		return "", nil
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("generate codec token: %w", err)
	}
	t := hex.EncodeToString(raw)
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return "", fmt.Errorf("create data directory %s: %w", c.DataDir, err)
	}
	if err := os.WriteFile(path, []byte(t+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write codec token %s: %w", path, err)
	}
	return t, nil
}

// devUIOrigins are the origins a browser shows for the embedded Web UI: its address, and
// localhost for a loopback address, as people type either.
func devUIOrigins(uiAddr string) []string {
	host, port, err := net.SplitHostPort(uiAddr)
	if err != nil {
		return nil
	}
	out := []string{"http://" + net.JoinHostPort(host, port)}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		out = append(out, "http://"+net.JoinHostPort("localhost", port))
	}
	return out
}

// browserHost is the address a browser can reach a listener on (not 0.0.0.0).
func browserHost(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
