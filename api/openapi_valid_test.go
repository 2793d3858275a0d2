package api

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The document is valid OpenAPI 3 by kin-openapi's validator, examples included: a standard
// validator that rejects it (an unquoted comma, a $ref to nothing, a default outside its enum)
// fails here, in CI.
func TestOpenAPIValidates(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPI)
	if err != nil {
		t.Fatalf("api/openapi.yaml does not load: %v", err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("api/openapi.yaml is not valid OpenAPI 3: %v", err)
	}
}

// The answers every handler can give before its own logic are documented on every operation
// they apply to: 400 for a parameter or body that breaks the document, 404 for an unknown
// resource in the path, 413 for a body over the cap and 415 for a body that is not JSON.
func TestOpenAPIDocumentsTheRefusals(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPI)
	if err != nil {
		t.Fatalf("api/openapi.yaml does not load: %v", err)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			want := map[string]bool{}
			params := append(openapi3.Parameters{}, item.Parameters...)
			params = append(params, op.Parameters...)
			for _, p := range params {
				want["400"] = true
				if p.Value.In == openapi3.ParameterInPath {
					want["404"] = true
				}
			}
			if rb := op.RequestBody; rb != nil {
				want["400"], want["413"] = true, true
				if rb.Value.Content.Get("application/json") != nil {
					want["415"] = true
				}
			}
			for code := range want {
				if op.Responses.Value(code) == nil {
					t.Errorf("%s can answer %s: document it", name, code)
				}
			}
		}
	}
}
