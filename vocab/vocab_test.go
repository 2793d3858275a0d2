package vocab

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// labelled is what every vocabulary has: its values in order and their labels.
type labelled struct {
	values []string
	label  func(string) Label
}

var vocabularies = map[string]labelled{
	"Stage":     {Strings(Stages), func(v string) Label { return Stage(v).Label() }},
	"Outcome":   {Strings(Outcomes), func(v string) Label { return Outcome(v).Label() }},
	"Reason":    {Strings(Reasons), func(v string) Label { return Reason(v).Label() }},
	"Party":     {Strings(Parties), func(v string) Label { return Party(v).Label() }},
	"Role":      {Strings(Roles), func(v string) Label { return Role(v).Label() }},
	"Placement": {Strings(Placements), func(v string) Label { return Placement(v).Label() }},
	"Contact":   {Strings(Contacts), func(v string) Label { return Contact(v).Label() }},
}

// declared reads the package's source for the constants declared of each vocabulary type, so a
// constant added without its row in the table is caught.
func declared(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				typ, ok := vs.Type.(*ast.Ident)
				if !ok {
					continue
				}
				for _, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok {
						t.Fatalf("%s constant %s is not a string literal", typ.Name, vs.Names[0])
					}
					s, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					out[typ.Name] = append(out[typ.Name], s)
				}
			}
		}
	}
	return out
}

func TestEveryDeclaredValueIsListedOnceWithBothLabels(t *testing.T) {
	decl := declared(t)
	for typ, v := range vocabularies {
		if len(decl[typ]) == 0 {
			t.Errorf("no %s constants found in the source", typ)
		}
		for _, c := range decl[typ] {
			if !slices.Contains(v.values, c) {
				t.Errorf("%s %q is declared but missing from its table", typ, c)
			}
		}
		if len(v.values) != len(decl[typ]) {
			t.Errorf("%s: the table lists %d values, the source declares %d", typ, len(v.values), len(decl[typ]))
		}
		seen := map[string]bool{}
		for _, c := range v.values {
			if seen[c] {
				t.Errorf("%s %q is listed twice", typ, c)
			}
			seen[c] = true
			l := v.label(c)
			if l.ID == "" || l.EN == "" || l.ID == c && l.EN == c {
				t.Errorf("%s %q has no label in both languages: %+v", typ, c, l)
			}
		}
	}
	for typ := range decl {
		if _, ok := vocabularies[typ]; !ok {
			t.Errorf("constants of type %s are not covered by this test", typ)
		}
	}
}

// The values are stored in PostgreSQL, search attributes and workflow histories: a renamed
// value would break running cases and the read model.
func TestWireValuesStay(t *testing.T) {
	want := map[string][]string{
		"Stage":     {"enrolment", "insurance", "training", "assessment", "certification", "placement", "closed"},
		"Outcome":   {"placed-formal", "placed-informal", "self-employed", "continuing-study", "not-placed", "dropped-out", "not-graduated", "rejected", "withdrawn"},
		"Reason":    {"approval-overdue", "partner-failing", "insurance-not-active", "correction-overdue", "attendance-missing", "result-overdue", "no-agreement"},
		"Party":     {"centre-admin", "lsp-manager", "bpjs", "lsp", "agreement", "correction", "schedule", "participant"},
		"Role":      {"centre-admin", "lsp-manager", "assessor", "insurer-liaison", "coordinator", "operator", "viewer", "system"},
		"Placement": {"formal", "informal", "self-employed", "continuing-study"},
	}
	for typ, v := range vocabularies {
		for _, w := range want[typ] {
			if !slices.Contains(v.values, w) {
				t.Errorf("%s %q is gone: running cases and stored rows still carry it", typ, w)
			}
		}
	}
	if !slices.Equal(Strings(Stages), want["Stage"]) {
		t.Errorf("stages in order: got %v, want %v", Stages, want["Stage"])
	}
}

func TestStagesAreOrdered(t *testing.T) {
	for i, a := range Stages {
		for j, b := range Stages {
			if a.Before(b) != (i < j) {
				t.Errorf("%s.Before(%s) = %v with positions %d and %d", a, b, a.Before(b), i, j)
			}
		}
		if !a.Known() {
			t.Errorf("%s is listed but not known", a)
		}
	}
	if Stage("unknown").Known() || Stage("unknown").Before(StageClosed) || StageEnrolment.Before("unknown") {
		t.Error("an unknown stage must be neither known nor ordered")
	}
	if Stages[len(Stages)-1] != StageClosed {
		t.Errorf("closed must be the last stage, got %v", Stages)
	}
	if !slices.Equal(OpenStages, Stages[:len(Stages)-1]) {
		t.Errorf("open stages: got %v", OpenStages)
	}
	if got := StagesBefore(StageAssessment); !slices.Equal(got, []Stage{StageEnrolment, StageInsurance, StageTraining}) {
		t.Errorf("stages before assessment: got %v", got)
	}
}

func TestEveryPlacementClosesWithItsOwnOutcome(t *testing.T) {
	want := map[Placement]Outcome{
		PlacementFormal: OutcomePlacedFormal, PlacementInformal: OutcomePlacedInformal,
		PlacementSelfEmployed: OutcomeSelfEmployed, PlacementContinuingStudy: OutcomeContinuingStudy,
	}
	seen := map[Outcome]bool{}
	for _, p := range Placements {
		o := p.Outcome()
		if o != want[p] {
			t.Errorf("%s closes as %s, want %s", p, o, want[p])
		}
		if seen[o] || !slices.Contains(Outcomes, o) {
			t.Errorf("%s closes as %s, which is shared or not an outcome", p, o)
		}
		seen[o] = true
		if p.Placed() != (p != PlacementContinuingStudy) {
			t.Errorf("%s placed = %v: work counts as placed, study does not", p, p.Placed())
		}
	}
}

func TestLabelText(t *testing.T) {
	if got := PlacementSelfEmployed.Label().String(); got != "Wirausaha / Self-employed" {
		t.Errorf("got %q", got)
	}
	if got := PlacementFormal.Label().String(); got != "Formal" {
		t.Errorf("got %q", got)
	}
	if got := Stage("later").Label(); got != (Label{"later", "later"}) {
		t.Errorf("an unknown value is shown as its code, got %+v", got)
	}
}
