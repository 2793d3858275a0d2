package codec

import (
	"context"
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"

	"go.temporal.io/sdk/converter"
)

// maxCodecBody caps one encode or decode request; the Web UI sends one history page at a time.
const maxCodecBody = 4 << 20

// HandlerOptions configure the remote codec endpoint.
type HandlerOptions struct {
	// Token must come as "Authorization: Bearer <token>" or as the path segment before
	// /encode or /decode (".../codec/<token>/decode", for the Web UI, which cannot send a
	// header of its own without its OIDC login). Empty disables the endpoint.
	Token string
	// Origins may call the endpoint from a browser (CORS), e.g. "http://127.0.0.1:8233".
	Origins []string
	// Authorize, when set, also admits a request whose token it accepts (an operator's or
	// coordinator's API token).
	Authorize func(ctx context.Context, token string) bool
	// AuthorizeRequest, when set, also admits a request it accepts without a token: a browser
	// that sends the login session cookie of kompeten's pages (the Web UI's includeCredentials).
	AuthorizeRequest func(r *http.Request) bool
}

// Handler serves the Temporal remote codec protocol: POST /encode, POST /decode, and
// POST /<token>/encode|decode; OPTIONS answers CORS preflights. Mount it with http.StripPrefix
// (kompeten serves it under /codec).
// Requests without the token get 401, and nothing about the payloads is logged.
func Handler(ring *Keyring, o HandlerOptions) http.Handler {
	inner := converter.NewPayloadCodecHTTPHandler(NewAESCodec(ring))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" && slices.Contains(o.Origins, origin) {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Add("Vary", "Origin")
		}
		if r.Method == http.MethodOptions {
			// A preflight carries no credentials; it only learns what the real request may send.
			h := w.Header()
			h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type, X-Namespace, Authorization, Authorization-Extras")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST, OPTIONS")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		op, token := splitPath(r.URL.Path)
		if op == "" {
			http.NotFound(w, r)
			return
		}
		if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && token == "" {
			token = bearer
		}
		static := o.Token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(o.Token)) == 1
		byToken := static || (token != "" && o.Authorize != nil && o.Authorize(r.Context(), token))
		if !byToken && (o.AuthorizeRequest == nil || !o.AuthorizeRequest(r)) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="kompeten codec"`)
			http.Error(w, "unauthorized: the codec needs security.codec_token", http.StatusUnauthorized)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxCodecBody)
		w.Header().Set("Cache-Control", "no-store") // decoded payloads must not sit in caches
		inner.ServeHTTP(w, r)
	})
}

// splitPath reads a path relative to the mount point: "/decode", or "/<token>/decode" where the
// token rides in the path. Anything else is not the codec's.
func splitPath(path string) (op, token string) {
	for _, suffix := range []string{"/encode", "/decode"} {
		rest, ok := strings.CutSuffix(path, suffix)
		if !ok {
			continue
		}
		switch {
		case rest == "":
			return suffix, ""
		case strings.Count(rest, "/") == 1 && strings.HasPrefix(rest, "/") && len(rest) > 1:
			return suffix, rest[1:]
		}
	}
	return "", ""
}
