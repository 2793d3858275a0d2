package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// documentRouter is api/openapi.yaml loaded, validated and routed once for the process.
var documentRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("load api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate api/openapi.yaml: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route api/openapi.yaml: %w", err)
	}
	return router, nil
})

// validateRequests answers 400, naming the parameter, a request whose path or query parameters
// break api/openapi.yaml (stage=foo, stuck=perhaps, limit=0), and a request whose query holds a
// NUL byte or invalid UTF-8, which PostgreSQL would refuse. Bodies are not checked here: decode
// reads them strictly and size-capped (413, 415), and the handlers check their fields, so an
// unbounded body is never read into memory before the cap. A path the document does not
// describe (the dev simulators, the pages) passes through to the router, which answers it.
func validateRequests(next http.Handler) http.Handler {
	router, err := documentRouter()
	if err != nil {
		// The document is embedded and validated by a test; failing here is a build defect.
		panic(err)
	}
	opts := &openapi3filter.Options{
		ExcludeRequestBody:  true,
		ExcludeResponseBody: true,
		MultiError:          false,
		AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc, // authenticate already decided
		// The handlers apply the documented defaults themselves; the validator must not write
		// them into the query, where an export could no longer tell "no limit given" (every row
		// in scope) from limit=100.
		SkipSettingDefaults: true,
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if msg, m := badQueryBytes(r); msg != "" {
			writeError(w, r, http.StatusBadRequest, m, "%s", msg)
			return
		}
		route, params, err := router.FindRoute(r)
		if err != nil {
			next.ServeHTTP(w, r) // not in the document: the mux answers (404, 405, a simulator)
			return
		}
		in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
		if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
			msg, m := describeRequestError(err)
			writeError(w, r, http.StatusBadRequest, m, "%s", msg)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// badQueryBytes says which query parameter (or the path) holds a NUL byte or invalid UTF-8, in
// English and in the catalogue's words, or "".
func badQueryBytes(r *http.Request) (string, words) {
	if strings.ContainsRune(r.URL.Path, 0) || !utf8.ValidString(r.URL.Path) {
		return "the path contains a NUL byte or invalid UTF-8", say("api.bad-path-bytes")
	}
	for name, values := range r.URL.Query() {
		for _, v := range values {
			switch {
			case strings.ContainsRune(v, 0) || strings.ContainsRune(name, 0):
				name = strings.ReplaceAll(name, "\x00", `\x00`)
				return fmt.Sprintf("query parameter %q contains a NUL byte", name), say("api.bad-query-bytes", "name", strconv.Quote(name))
			case !utf8.ValidString(v) || !utf8.ValidString(name):
				name = strings.ToValidUTF8(name, "?")
				return fmt.Sprintf("query parameter %q is not valid UTF-8", name), say("api.bad-query-bytes", "name", strconv.Quote(name))
			}
		}
	}
	return "", words{}
}

// describeRequestError turns kin-openapi's error into one sentence naming the parameter, in
// English and in the catalogue's words (the reason stays kin-openapi's English).
func describeRequestError(err error) (string, words) {
	var reqErr *openapi3filter.RequestError
	if !errors.As(err, &reqErr) {
		return "request does not match the API description: " + err.Error(), say("api.bad-request", "detail", err.Error())
	}
	if p := reqErr.Parameter; p != nil {
		why := reqErr.Reason
		var schemaErr *openapi3.SchemaError
		if errors.As(reqErr.Err, &schemaErr) {
			why = schemaErr.Reason
		} else if reqErr.Err != nil {
			if why != "" {
				why += ": "
			}
			why += reqErr.Err.Error()
		}
		return fmt.Sprintf("%s parameter %q: %s (see /api/openapi.yaml)", p.In, p.Name, why),
			say("api.bad-parameter", "name", strconv.Quote(p.Name), "detail", why)
	}
	return "request does not match the API description: " + reqErr.Error(), say("api.bad-request", "detail", reqErr.Error())
}
