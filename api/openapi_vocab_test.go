package api

import (
	"fmt"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// enumsOf collects the enum of every parameter named name and every property named name in the
// OpenAPI document (or of the schema itself when name is a schema's name).
func enumsOf(v any, name string) [][]string {
	var out [][]string
	enum := func(s any) {
		m, _ := s.(map[string]any)
		if e, ok := m["enum"].([]any); ok {
			vs := make([]string, len(e))
			for i, x := range e {
				vs[i] = fmt.Sprint(x)
			}
			out = append(out, vs)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		if x["name"] == name {
			enum(x["schema"])
		}
		for k, c := range x {
			if k == name {
				enum(c)
			}
			out = append(out, enumsOf(c, name)...)
		}
	case []any:
		for _, c := range x {
			out = append(out, enumsOf(c, name)...)
		}
	}
	return out
}

// The document's enums of the journey's codes are the vocabulary's values: a stage, stuck reason
// or placement category added to package vocab must be described too.
func TestOpenAPIEnumsFollowTheVocabulary(t *testing.T) {
	var doc map[string]any
	if err := yaml.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want []string
	}{
		{"Stage", vocab.Strings(vocab.Stages)},
		{"reason", vocab.Strings(vocab.Reasons)},
		{"category", vocab.Strings(vocab.Placements)},
		{"contact", vocab.Strings(vocab.Contacts)},
	} {
		got := enumsOf(doc, c.name)
		if len(got) == 0 {
			t.Errorf("no enum of %s in openapi.yaml", c.name)
		}
		for _, e := range got {
			if !slices.Equal(e, c.want) {
				t.Errorf("%s: openapi.yaml says %v, package vocab %v", c.name, e, c.want)
			}
		}
	}
	// Roles: a step's actor is one of the people's roles (actorRoles); the inbox groups by its own;
	// an account has a token's roles (auth.TokenRoles).
	roles := enumsOf(doc, "role")
	inbox, actor, account := vocab.Strings(InboxRoles), vocab.Strings(actorRoles), vocab.Strings(auth.TokenRoles)
	for _, e := range roles {
		if !sameSet(e, inbox) && !sameSet(e, actor) && !sameSet(e, account) {
			t.Errorf("role: openapi.yaml says %v; the API takes %v (inbox), %v (actors) or %v (accounts)", e, inbox, actor, account)
		}
	}
	if !slices.ContainsFunc(roles, func(e []string) bool { return sameSet(e, inbox) }) ||
		!slices.ContainsFunc(roles, func(e []string) bool { return sameSet(e, actor) }) {
		t.Errorf("openapi.yaml should enumerate the inbox roles and the actors' roles, found %v", roles)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	return slices.Equal(a, b)
}
