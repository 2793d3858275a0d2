package clientip

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Only a trusted proxy's X-Forwarded-For is believed, read from the right, so a client cannot
// choose its own address by sending the header itself.
func TestClient(t *testing.T) {
	trusted, err := Parse([]string{"10.0.0.0/8", "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, peer, xff, want string
	}{
		{"direct client, no header", "203.0.113.7:5123", "", "203.0.113.7"},
		{"direct client forging the header", "203.0.113.7:5123", "198.51.100.1", "203.0.113.7"},
		{"behind one trusted proxy", "127.0.0.1:40000", "198.51.100.9", "198.51.100.9"},
		{"forged entry left of the real one", "10.1.2.3:40000", "1.2.3.4, 198.51.100.9", "198.51.100.9"},
		{"two trusted proxies", "127.0.0.1:40000", "198.51.100.9, 10.0.0.5", "198.51.100.9"},
		{"trusted proxy without a header", "10.1.2.3:40000", "", "10.1.2.3"},
		{"malformed hop stops the walk", "10.1.2.3:40000", "198.51.100.9, junk", "10.1.2.3"},
		{"IPv6 client", "127.0.0.1:40000", "2001:db8::1", "2001:db8::1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.peer
			if tc.xff != "" {
				r.Header.Set("X-Forwarded-For", tc.xff)
			}
			if got := trusted.Client(r).String(); got != tc.want {
				t.Errorf("client %s, want %s", got, tc.want)
			}
			var seen string
			trusted.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { seen = r.RemoteAddr })).ServeHTTP(httptest.NewRecorder(), r)
			if got := peerAddr(seen).String(); got != tc.want {
				t.Errorf("middleware passed RemoteAddr %s, want %s", seen, tc.want)
			}
		})
	}
	// No trusted proxies: the header is never read.
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:1"
	r.Header.Set("X-Forwarded-For", "198.51.100.9")
	if got := Trusted(nil).Client(r).String(); got != "127.0.0.1" {
		t.Errorf("untrusted: %s", got)
	}
	if _, err := Parse([]string{"not-an-address"}); err == nil {
		t.Error("a bad entry was accepted")
	}
}
