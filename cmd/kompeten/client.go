package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// apiClient talks to a running kompeten (dev or serve) over its HTTP API, so operators need
// no database or Temporal credentials on their machine.
type apiClient struct {
	base  string
	http  *http.Client
	token string
}

func newAPIClient(cmd *cobra.Command) (*apiClient, error) {
	base := os.Getenv("KOMPETEN_SERVER")
	if f := cmd.Flags().Lookup("server"); f != nil && f.Changed {
		base = f.Value.String()
	}
	if base == "" {
		c, err := loadConfig(cmd)
		if err != nil {
			return nil, err
		}
		base = "http://" + c.HTTP.Addr
	}
	token, err := apiToken(cmd)
	if err != nil {
		return nil, err
	}
	return &apiClient{base: strings.TrimRight(base, "/"), http: &http.Client{Timeout: 2 * time.Minute}, token: token}, nil
}

// apiError is a refusal or failure reported by the server.
type apiError struct {
	Status  int
	Message string
}

func (e *apiError) Error() string { return e.Message }

func (c *apiClient) do(method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach kompeten at %s (is `kompeten dev` or `kompeten serve` running? set --server or KOMPETEN_SERVER): %w", c.base, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			return &apiError{Status: resp.StatusCode, Message: e.Error}
		}
		return &apiError{Status: resp.StatusCode, Message: fmt.Sprintf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(data)))}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("decode answer of %s %s: %w", method, path, err)
		}
	}
	return nil
}

func addServerFlag(cmd *cobra.Command) {
	cmd.Flags().String("server", "", "kompeten HTTP API base URL (env KOMPETEN_SERVER; default http://<http.addr>)")
	cmd.Flags().String("token", "", "API token (env KOMPETEN_TOKEN; default: <data_dir>/dev-token written by kompeten dev)")
}
