package apiclient

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client calls one kompeten's JSON API. It is safe for concurrent use.
type Client struct {
	base    string
	token   string
	http    *http.Client
	onError func(error) error
	lang    string // Accept-Language when the call's context names none (WithDefaultLanguage)
}

// Option configures a Client.
type Option func(*Client)

// WithToken sends token as `Authorization: Bearer <token>` on every request; empty sends none.
func WithToken(token string) Option {
	return func(c *Client) { c.token = token }
}

// WithHTTPClient sends the requests with hc (its transport, its timeout) instead of
// http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.http = hc }
}

// WithTimeout bounds every request, its answer read to the end, by d (on the HTTP client in
// effect: give it after WithHTTPClient).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) {
		hc := *c.http
		hc.Timeout = d
		c.http = &hc
	}
}

// WithErrorWording passes every error a request ends with through word before the caller
// sees it, so a program can word the API's refusals for its users in one place (the command
// line names where a refused token came from). word should keep the error it is given
// reachable with errors.As.
func WithErrorWording(word func(error) error) Option {
	return func(c *Client) { c.onError = word }
}

// New returns a client of the API at base (http://host:port, with or without a trailing
// slash).
func New(base string, opts ...Option) *Client {
	c := &Client{base: strings.TrimRight(base, "/"), http: http.DefaultClient}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Do sends one request to path (with its query) and returns the answer's status. A non-nil
// body is sent as JSON; a 2xx answer is decoded into out when out is not nil; any other
// answer is an *Error. The typed methods are built on it; it is exported for tests and tools
// that exercise the API itself (a malformed request, say).
func (c *Client) Do(ctx context.Context, method, path string, body, out any) (int, error) {
	var data []byte
	ctype := ""
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, c.fail(fmt.Errorf("%s %s: encode the request: %w", method, path, err))
		}
		data, ctype = b, "application/json"
	}
	f, err := c.send(ctx, method, path, ctype, data)
	if err != nil {
		return 0, c.fail(err)
	}
	if out != nil {
		if err := json.Unmarshal(f.Data, out); err != nil {
			return f.Status, c.fail(fmt.Errorf("decode answer of %s %s: %w", method, path, err))
		}
	}
	return f.Status, nil
}

// Fetch sends body as it is (with its content type, when not empty) and returns the 2xx answer
// undecoded: a spreadsheet, a CSV file, the OpenAPI document. Any other answer is an *Error.
func (c *Client) Fetch(ctx context.Context, method, path, contentType string, body []byte) (*File, error) {
	f, err := c.send(ctx, method, path, contentType, body)
	if err != nil {
		return nil, c.fail(err)
	}
	return f, nil
}

// File is an answer kept as it came: a download, or anything not JSON.
type File struct {
	// Status is the answer's HTTP status (2xx).
	Status int
	// ContentType is the answer's Content-Type (text/csv; charset=utf-8, say).
	ContentType string
	// Header is all of the answer's header (X-Kompeten-Rows, Content-Disposition, ...).
	Header http.Header
	// Data is the body.
	Data []byte
}

// send makes one request; an answer other than 2xx is an *Error. A failure to reach the
// server is the *url.Error of net/http, which names the method and the URL.
func (c *Client) send(ctx context.Context, method, path, contentType string, body []byte) (*File, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if l := cmp.Or(languageOf(ctx), c.lang); l != "" {
		req.Header.Set("Accept-Language", l)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read the answer: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, errorOf(resp.StatusCode, data)
	}
	return &File{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Header: resp.Header, Data: data}, nil
}

func (c *Client) fail(err error) error {
	if c.onError != nil {
		return c.onError(err)
	}
	return err
}

// do sends one documented operation and decodes its answer into a T: params fill the path's
// {placeholders} in order (each escaped as one segment), q is its query.
func do[T any](ctx context.Context, c *Client, op operation, params []string, q query, body any) (T, error) {
	var out T
	_, err := c.Do(ctx, op.Method, op.url(params, url.Values(q)), body, &out)
	return out, err
}

// fetch sends one documented operation whose answer is a file.
func (c *Client) fetch(ctx context.Context, op operation, params []string, q query, contentType string, body []byte) (*File, error) {
	return c.Fetch(ctx, op.Method, op.url(params, url.Values(q)), contentType, body)
}
