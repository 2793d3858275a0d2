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

	"github.com/bpvp-sidoarjo/kompeten/app"
)

// apiClient talks to a running kompeten (dev or serve) over its HTTP API, so operators need
// no database or Temporal credentials on their machine.
type apiClient struct {
	base  string
	http  *http.Client
	token string
	// tokenFrom says where token came from (--token, KOMPETEN_TOKEN, the dev token file), so
	// that a refused token is named; empty when none was found.
	tokenFrom string
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
	token, from, err := apiToken(cmd)
	if err != nil {
		return nil, err
	}
	return &apiClient{base: strings.TrimRight(base, "/"), http: &http.Client{Timeout: 2 * time.Minute}, token: token, tokenFrom: from}, nil
}

// apiError is a refusal or failure reported by the server.
type apiError struct {
	Status  int
	Message string
}

func (e *apiError) Error() string { return e.Message }

// Exit codes of the command line (README, Command line). Distinct codes let a script tell a
// step the workflow refused (fix the request) from a token to replace (4) and a request the
// token's role or scope may not make at all (5).
const (
	exitFailure   = 1 // anything else: bad flags, an unreachable server, a server error
	exitRefused   = 2 // the workflow (or the API, for a conflict) refused the step, in its words
	exitDrift     = 3 // doctor: Temporal and the read model still disagree
	exitBadToken  = 4 // HTTP 401: no token, or one the server does not know or has revoked
	exitForbidden = 5 // HTTP 403: the token's role or scope does not allow the request
)

// authError is an HTTP 401 or 403 worded for the person at the terminal: which token was
// refused and what to do about it. It ends the command with its own exit code (see exitCode).
type authError struct {
	*apiError
	code int
	msg  string
}

func (e *authError) Error() string { return e.msg }

// Unwrap keeps the server's answer reachable (errors.As to *apiError), so commands that look
// at the status still see 401 or 403.
func (e *authError) Unwrap() error { return e.apiError }

// checkAuth turns a 401 or 403 from the server into an authError naming the token's source;
// any other error is returned as it is.
func (c *apiClient) checkAuth(e *apiError) error {
	from := ""
	if c.tokenFrom != "" {
		from = " from " + c.tokenFrom
	}
	switch e.Status {
	case http.StatusUnauthorized:
		what := "the API refused the token" + from
		if c.token == "" {
			what = "the API needs a token and none was found (no --token, no KOMPETEN_TOKEN, no <data_dir>/" + app.DevTokenFile + ")"
		}
		return &authError{apiError: e, code: exitBadToken, msg: fmt.Sprintf(
			"%s: %s — create one with `kompeten token create --role ROLE --name WHO` and pass it with --token or set KOMPETEN_TOKEN (without either, the CLI uses <data_dir>/%s, which `kompeten dev` writes)",
			what, e.Message, app.DevTokenFile)}
	case http.StatusForbidden:
		return &authError{apiError: e, code: exitForbidden, msg: fmt.Sprintf("not allowed for the token%s: %s", from, e.Message)}
	}
	return e
}

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
			return c.checkAuth(&apiError{Status: resp.StatusCode, Message: e.Error})
		}
		return c.checkAuth(&apiError{Status: resp.StatusCode, Message: fmt.Sprintf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(data)))})
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
