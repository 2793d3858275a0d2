package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// apiClient is one of the benchmark's people: it uses kompeten's HTTP API with its own token,
// as the CLI and the pages do.
type apiClient struct {
	base  string
	token string
	http  *http.Client
}

// sharedTransport keeps the people's connections instead of opening one per request.
var sharedTransport = func() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 512, 512
	return tr
}()

func newAPIClient(base, token string) *apiClient {
	return &apiClient{base: base, token: token, http: &http.Client{Transport: sharedTransport, Timeout: 2 * time.Minute}}
}

// statusError is an answer other than 2xx, with the API's message.
type statusError struct {
	Status  int
	Message string
}

func (e *statusError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.Status, e.Message) }

// do sends body as JSON and decodes a 2xx answer into out.
func (c *apiClient) do(ctx context.Context, method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("%s %s: encode: %w", method, path, err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		var e api.ErrorBody
		_ = json.Unmarshal(data, &e)
		msg := e.Error
		if msg == "" {
			msg = string(data)
		}
		return fmt.Errorf("%s %s: %w", method, path, &statusError{Status: resp.StatusCode, Message: msg})
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
		}
	}
	return nil
}

// Enrol sends one import batch to the API, as `kompeten import` does (importer.Enroller).
func (c *apiClient) Enrol(ctx context.Context, packageCode string, people []starter.Person) ([]starter.EnrolResult, error) {
	var resp api.EnrolResponse
	if err := c.do(ctx, "POST", "/api/v1/packages/"+url.PathEscape(packageCode)+"/enrolments", api.EnrolRequest{People: people}, &resp); err != nil {
		return nil, err
	}
	return resp.Results, nil
}
