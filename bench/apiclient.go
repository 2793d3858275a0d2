package bench

import (
	"net/http"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
)

// sharedTransport keeps the people's connections instead of opening one per request.
var sharedTransport = func() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 512, 512
	return tr
}()

// newAPIClient is one of the benchmark's people: kompeten's HTTP API with its own token, as
// the CLI and the pages use it.
func newAPIClient(base, token string) *apiclient.Client {
	return apiclient.New(base, apiclient.WithToken(token),
		apiclient.WithHTTPClient(&http.Client{Transport: sharedTransport, Timeout: 2 * time.Minute}))
}
