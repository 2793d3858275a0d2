package apiclient

import (
	"net/http"
	"net/http/httptest"
	"net/url"
)

// inProcessBase is the base URL of an in-process client; no request ever leaves the process.
const inProcessBase = "http://kompeten.in-process"

// InProcess returns a client that serves its requests with h directly, without a socket: the
// pages call the API this way. Authentication is the caller's: the context given to each call
// reaches h (api.WithIdentity), and a token set with WithToken is sent as usual.
func InProcess(h http.Handler, opts ...Option) *Client {
	opts = append([]Option{WithHTTPClient(&http.Client{Transport: HandlerTransport{Handler: h}})}, opts...)
	return New(inProcessBase, opts...)
}

// HandlerTransport is an http.RoundTripper that answers every request with Handler in this
// process, as a server would: the handler sees a server-side request (path, query, RequestURI,
// Host) carrying the client request's context, headers and body.
type HandlerTransport struct {
	Handler http.Handler
}

// RoundTrip serves req with the handler and returns what it wrote.
func (t HandlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	in := req.Clone(req.Context())
	in.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	in.RequestURI = in.URL.RequestURI()
	in.Host = req.URL.Host
	if in.Body == nil {
		in.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	t.Handler.ServeHTTP(rec, in)
	// A RoundTripper closes the request body, whatever the handler did with it.
	if req.Body != nil {
		_ = req.Body.Close()
	}
	res := rec.Result()
	res.Request = req
	return res, nil
}
