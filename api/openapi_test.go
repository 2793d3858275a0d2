package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// routedOperations lists "METHOD /path" for every route Handler registers, read from the
// source of the package (so a route added in any file is seen) plus the case actions.
func routedOperations(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`mux\.HandleFunc\("([A-Z]+ /[^"]*)",`) // a whole literal, not a prefix
	var ops []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			ops = append(ops, m[1])
		}
	}
	for path := range actions {
		ops = append(ops, "POST /api/v1/cases/{id}/"+path)
	}
	slices.Sort(ops)
	return ops
}

// documentedOperations lists "METHOD /path" for every operation in openapi.yaml.
func documentedOperations(t *testing.T, doc map[string]any) []string {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatal("openapi.yaml has no paths")
	}
	var ops []string
	for p, item := range paths {
		for method := range item.(map[string]any) {
			ops = append(ops, strings.ToUpper(method)+" "+p)
		}
	}
	slices.Sort(ops)
	return ops
}

// Every route is documented and every documented operation is routed: adding an endpoint
// without describing it in openapi.yaml fails here.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var doc map[string]any
	if err := yaml.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatalf("openapi.yaml is not YAML: %v", err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.") {
		t.Fatalf("openapi version %q", v)
	}
	routed := routedOperations(t)
	if len(routed) < 30 {
		t.Fatalf("found only %d routes in the source; has the registration changed shape?", len(routed))
	}
	documented := documentedOperations(t, doc)
	for _, op := range routed {
		if !slices.Contains(documented, op) {
			t.Errorf("route %s is not described in api/openapi.yaml: add it", op)
		}
	}
	for _, op := range documented {
		if !slices.Contains(routed, op) {
			t.Errorf("api/openapi.yaml describes %s, which no route serves", op)
		}
	}
	// Every operation has an id and a summary, and every local $ref points at something.
	paths := doc["paths"].(map[string]any)
	ids := map[string]string{}
	for p, item := range paths {
		for method, o := range item.(map[string]any) {
			op := o.(map[string]any)
			id, _ := op["operationId"].(string)
			if id == "" || op["summary"] == nil {
				t.Errorf("%s %s: operationId and summary are required", method, p)
			}
			if prev, dup := ids[id]; dup {
				t.Errorf("operationId %s used by %s and %s %s", id, prev, method, p)
			}
			ids[id] = method + " " + p
		}
	}
	refs := regexp.MustCompile(`\$ref: "#/([^"]+)"`).FindAllStringSubmatch(string(OpenAPI), -1)
	for _, m := range refs {
		var node any = doc
		for _, part := range strings.Split(m[1], "/") {
			mm, ok := node.(map[string]any)
			if !ok || mm[part] == nil {
				t.Errorf("$ref #/%s does not resolve", m[1])
				break
			}
			node = mm[part]
		}
	}
}

func TestOpenAPIIsServed(t *testing.T) {
	srv := httptest.NewServer((&Server{}).Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/yaml") {
		t.Fatalf("HTTP %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc map[string]any
	if err := yaml.NewDecoder(resp.Body).Decode(&doc); err != nil || doc["paths"] == nil {
		t.Fatalf("served document: %v", err)
	}
}

// Every operation but the health check requires a token and documents what happens without
// one (401) and when the token's role or scope does not allow it (403), with the error body
// writeError sends; removing the security scheme, the global requirement or one of those
// responses fails here.
func TestOpenAPIDocumentsAuthentication(t *testing.T) {
	var doc map[string]any
	if err := yaml.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatalf("openapi.yaml is not YAML: %v", err)
	}
	components, _ := doc["components"].(map[string]any)
	schemes, _ := components["securitySchemes"].(map[string]any)
	bearer, _ := schemes["bearerAuth"].(map[string]any)
	if bearer["type"] != "http" || bearer["scheme"] != "bearer" {
		t.Fatalf("components.securitySchemes.bearerAuth must be an HTTP bearer scheme, got %v", bearer)
	}
	if !requiresBearer(doc["security"]) {
		t.Fatalf("the document's security must require bearerAuth, got %v", doc["security"])
	}
	// The shared responses carry the body writeError sends.
	schemas, _ := components["schemas"].(map[string]any)
	errSchema, _ := schemas["Error"].(map[string]any)
	props, _ := errSchema["properties"].(map[string]any)
	eb := reflect.TypeFor[ErrorBody]()
	if len(props) != eb.NumField() {
		t.Fatalf("schema Error must be ErrorBody's %d fields; has %v", eb.NumField(), props)
	}
	for i := range eb.NumField() {
		field, _, _ := strings.Cut(eb.Field(i).Tag.Get("json"), ",")
		if props[field] == nil {
			t.Fatalf("schema Error must be ErrorBody, with %q; has %v", field, props)
		}
	}
	responses, _ := components["responses"].(map[string]any)
	for _, name := range []string{"Unauthorized", "Forbidden"} {
		r, _ := responses[name].(map[string]any)
		if !strings.Contains(fmt.Sprint(r["content"]), "#/components/schemas/Error") {
			t.Errorf("components.responses.%s must answer the Error schema, got %v", name, r)
		}
	}

	paths := doc["paths"].(map[string]any)
	for p, item := range paths {
		for method, o := range item.(map[string]any) {
			op := o.(map[string]any)
			name := strings.ToUpper(method) + " " + p
			res, _ := op["responses"].(map[string]any)
			if p == "/healthz" {
				if sec, ok := op["security"].([]any); !ok || len(sec) != 0 {
					t.Errorf("%s is public: it needs an explicit empty security, got %v", name, op["security"])
				}
				if res["401"] != nil || res["403"] != nil {
					t.Errorf("%s is public: it answers no 401/403", name)
				}
				continue
			}
			if sec, ok := op["security"]; ok && !requiresBearer(sec) {
				t.Errorf("%s overrides security without bearerAuth: %v", name, sec)
			}
			for code, ref := range map[string]string{"401": "#/components/responses/Unauthorized", "403": "#/components/responses/Forbidden"} {
				r, _ := res[code].(map[string]any)
				if r["$ref"] != ref {
					t.Errorf("%s needs a token: response %s must be {$ref: %q}, got %v", name, code, ref, res[code])
				}
			}
		}
	}
}

// requiresBearer says whether a security requirement list names bearerAuth.
func requiresBearer(v any) bool {
	reqs, _ := v.([]any)
	for _, r := range reqs {
		if m, ok := r.(map[string]any); ok {
			if _, ok := m["bearerAuth"]; ok {
				return true
			}
		}
	}
	return false
}
