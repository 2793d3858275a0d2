package starter

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// requireCoded checks that err is a *CodedError of kind with exactly the codes want, in order,
// each worded whole in both languages: different, every parameter filled, and none of the
// English words given inside the Indonesian.
func requireCoded(t *testing.T, name string, err, kind error, want []string, english ...string) []workflows.RefusalDetails {
	t.Helper()
	var ce *CodedError
	if !errors.As(err, &ce) {
		t.Fatalf("%s: %T %v, want a *CodedError", name, err, err)
	}
	if !errors.Is(err, kind) {
		t.Errorf("%s: %v is not %v", name, err, kind)
	}
	got := make([]string, len(ce.Coded))
	for i, c := range ce.Coded {
		got[i] = c.Code
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("%s: codes %v, want %v (%v)", name, got, want, err)
	}
	for _, c := range ce.Coded {
		id, en := i18n.For(i18n.ID, nil).T(c.Code, c.Params), i18n.For(i18n.EN, nil).T(c.Code, c.Params)
		if id == en || id == c.Code || strings.ContainsAny(id+en, "{}") {
			t.Errorf("%s: %s worded %q / %q", name, c.Code, id, en)
		}
		for _, w := range english {
			if strings.Contains(id, w) {
				t.Errorf("%s: the Indonesian %q has English %q", name, id, w)
			}
		}
	}
	return ce.Coded
}

// The agreement refusals of the service's own checks (create, amend, renew) carry their codes;
// their kind (store.ErrInvalid, store.ErrExists) and English stay what they were.
func TestAgreementCheckRefusalsAreCoded(t *testing.T) {
	ctx := context.Background()
	_, st := testdb.NewMigrated(t)
	s := &Service{Store: st, loc: time.UTC}
	sby := "MOU/BPVP-SDA/LSP-BLK-SBY/2023" // seeded: all centres and schemes, 2023-01-19 to 2028-01-18
	actor := workflows.Actor{ID: "kepala-bpvp", Role: vocab.RoleCoordinator}
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	english := []string{"unknown", "required", "does not exist", "may not", "is taken", "only a PKS", " is with ", "not in the scope", "apply to"}

	_, err := s.CreateAgreement(ctx, NewAgreement{Number: "MOU/X", PartnerCode: "LSP-NOPE", ValidFrom: d(2026, 1, 2), ValidUntil: d(2026, 1, 1),
		Scope: workflows.Scope{Centres: []string{"BLK-NOPE"}}, Actor: actor})
	c := requireCoded(t, "create", err, store.ErrInvalid, []string{"refusal.mou-validity-order", "refusal.mou-partner-unknown", "refusal.mou-centre-unknown"}, english...)
	if c[1].Params["partner"] != "LSP-NOPE" || c[2].Params["centre"] != "BLK-NOPE" {
		t.Errorf("create: parameters %+v", c)
	}
	if !strings.Contains(err.Error(), `agreement MOU/X: validity ends before it starts; unknown partner "LSP-NOPE"; unknown centre "BLK-NOPE"`) {
		t.Errorf("create: English %q", err)
	}
	_, err = s.CreateAgreement(ctx, NewAgreement{Number: "", Kind: "x", Parent: sby, PartnerCode: "BPJSTK-JATIM",
		Scope: workflows.Scope{Schemes: []string{"SKM-LAS"}}, Sign: &workflows.SignRequest{SignedOn: time.Now().AddDate(0, 0, 3)}, Actor: actor})
	requireCoded(t, "create, bad fields", err, store.ErrInvalid, []string{"refusal.mou-number-required", "refusal.mou-kind", "refusal.mou-validity-required",
		"refusal.mou-parent-only-pks", "refusal.mou-insurer-scope", "refusal.mou-signatory-required", "refusal.mou-signed-on-future"}, english...)
	_, err = s.CreateAgreement(ctx, NewAgreement{Number: sby, PartnerCode: "LSP-BLK-SBY", ValidFrom: d(2026, 1, 1), ValidUntil: d(2026, 12, 31), Actor: actor})
	requireCoded(t, "create, number taken", err, store.ErrExists, []string{"refusal.mou-number-taken"}, english...)

	pks := func(parent string) NewAgreement {
		return NewAgreement{Number: "PKS/X", Kind: agreement.KindPKS, Parent: parent, PartnerCode: "LSP-BLK-JBG",
			ValidFrom: d(2022, 1, 1), ValidUntil: d(2029, 1, 1), Actor: actor}
	}
	_, err = s.CreateAgreement(ctx, pks(sby))
	c = requireCoded(t, "PKS outside its MoU", err, store.ErrInvalid, []string{"refusal.mou-pks-partner", "refusal.mou-pks-starts-early", "refusal.mou-pks-outlives"}, english...)
	if c[0].Params["got"] != "LSP-BLK-JBG" || c[2].Params["until"] != "2029-01-01" || c[2].Params["last"] != "2028-01-18" {
		t.Errorf("PKS: parameters %+v", c)
	}
	_, err = s.CreateAgreement(ctx, pks("MOU/NOPE"))
	requireCoded(t, "unknown parent", err, store.ErrInvalid, []string{"refusal.mou-parent-unknown"}, english...)
	_, err = s.CreateAgreement(ctx, pks(""))
	requireCoded(t, "no parent", err, store.ErrInvalid, []string{"refusal.mou-parent-required"}, english...)
	jbg := "MOU/BPVP-SDA/LSP-BLK-JBG/2023"
	ended, err := st.GetAgreement(ctx, jbg)
	if err != nil {
		t.Fatal(err)
	}
	ended.Status, ended.Version = agreement.Terminated, ended.Version+1
	if err := st.UpsertAgreement(ctx, ended); err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateAgreement(ctx, pks(jbg))
	c = requireCoded(t, "parent not live", err, store.ErrInvalid, []string{"refusal.mou-parent-not-live"}, append(english, "terminated")...)
	if got := i18n.For(i18n.ID, nil).T(c[0].Code, c[0].Params); got != "MoU induk "+jbg+" berstatus diakhiri" {
		t.Errorf("parent not live in Indonesian: %q", got)
	}

	_, err = s.RenewAgreement(ctx, sby, workflows.RenewRequest{Actor: actor, Successor: jbg})
	c = requireCoded(t, "successor taken", err, store.ErrExists, []string{"refusal.mou-successor-taken"}, english...)
	if c[0].Params["successor"] != jbg || !strings.Contains(err.Error(), "successor number "+jbg+" is taken") {
		t.Errorf("successor taken: %v %+v", err, c)
	}
	_, err = s.RenewAgreement(ctx, sby, workflows.RenewRequest{Actor: actor, Successor: "MOU/NEXT", Parent: jbg})
	requireCoded(t, "renew an MoU with a parent", err, store.ErrInvalid, []string{"refusal.mou-parent-only-pks"}, english...)
	_, err = s.AmendAgreement(ctx, sby, workflows.Amendment{Actor: actor, Centres: &[]string{"BLK-NOPE"}})
	requireCoded(t, "amend with an unknown centre", err, store.ErrInvalid, []string{"refusal.mou-centre-unknown"}, english...)
}

// A PKS's scope outside its MoU's is refused with the field as a code the catalogue words.
func TestPKSScopeProblemsAreCoded(t *testing.T) {
	p := store.Agreement{Number: "MOU/1", PartnerCode: "LSP-A", ValidFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		ValidUntil: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Centres: []string{"BLK-SBY", "BLK-SDA"}, TestSites: []string{"TUK-1"}}
	st := workflows.MoUState{PartnerCode: "LSP-A", ValidFrom: p.ValidFrom, ValidUntil: p.ValidUntil,
		Scope: workflows.Scope{Centres: []string{"BLK-KDR"}}}
	got := pksProblems(st, p)
	if len(got.coded) != 2 || got.coded[0].Code != "refusal.mou-pks-scope-outside" || got.coded[1].Code != "refusal.mou-pks-scope-unnamed" {
		t.Fatalf("problems %q %+v", got.english, got.coded)
	}
	id := i18n.For(i18n.ID, nil)
	if w := id.T(got.coded[0].Code, got.coded[0].Params); w != "BLK: BLK-KDR tidak termasuk dalam cakupan MOU/1" {
		t.Errorf("outside: %q", w)
	}
	if w := id.T(got.coded[1].Code, got.coded[1].Params); w != "TUK: MOU/1 hanya mencakup TUK-1; sebutkan satu per satu" {
		t.Errorf("unnamed: %q", w)
	}
	if got.english[1] != "test sites: MOU/1 covers only TUK-1; name them" {
		t.Errorf("English: %q", got.english[1])
	}
}

// A package's creation is refused with the codes of the package edit's problems where the
// problem is the same, and codes of its own for the rest.
func TestPackageCreationRefusalsAreCoded(t *testing.T) {
	ctx := context.Background()
	_, st := testdb.NewMigrated(t)
	s := &Service{Store: st, loc: time.UTC}
	start := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 1, 0)
	good := store.Package{Code: "P-CODED", CentreCode: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSPCode: "LSP-BLK-SBY",
		StartDate: start, EndDate: start.AddDate(0, 0, 20), Hours: 160, Capacity: 16, AttendanceMin: 0.8}
	english := []string{"unknown", "required", "is not an LSP", "exists", "units of competence", "must"}

	bad := good
	bad.Code, bad.Capacity, bad.Hours, bad.EndDate = "P 1", -1, -1, start.AddDate(0, 0, -1)
	err := ValidatePackage(bad)
	requireCoded(t, "ValidatePackage", err, store.ErrInvalid, []string{"refusal.package-code-chars", "refusal.package-end-before-start",
		"refusal.package-capacity", "refusal.package-hours-negative"}, english...)
	_, err = s.CreatePackage(ctx, bad)
	requireCoded(t, "create, bad fields", err, store.ErrInvalid, []string{"refusal.package-code-chars", "refusal.package-end-before-start",
		"refusal.package-capacity", "refusal.package-hours-negative"}, english...)

	for name, tc := range map[string]struct {
		change func(*store.Package)
		code   string
	}{
		"scheme without units": {func(p *store.Package) { p.Scheme = "SKM-NOPE" }, "refusal.package-scheme-no-units"},
		"unknown centre":       {func(p *store.Package) { p.CentreCode = "BLK-NOPE" }, "refusal.package-centre-unknown"},
		"unknown LSP":          {func(p *store.Package) { p.LSPCode = "LSP-NOPE" }, "refusal.package-lsp-unknown"},
		"insurer as LSP":       {func(p *store.Package) { p.LSPCode = "BPJSTK-JATIM" }, "refusal.package-lsp-not-certifier"},
	} {
		p := good
		tc.change(&p)
		_, err := s.CreatePackage(ctx, p)
		requireCoded(t, name, err, store.ErrInvalid, []string{tc.code}, english...)
	}
	if _, err := s.CreatePackage(ctx, good); err != nil {
		t.Fatal(err)
	}
	_, err = s.CreatePackage(ctx, good)
	c := requireCoded(t, "exists", err, store.ErrExists, []string{"refusal.package-exists"}, english...)
	if c[0].Params["code"] != good.Code {
		t.Errorf("exists: %+v", c)
	}

	// An edit's audit keeps a refused case's code and parameters (package_edits.cases).
	saved, err := st.GetPackage(ctx, good.Code)
	if err != nil {
		t.Fatal(err)
	}
	_, id, err := st.EditPackage(ctx, good.Code, store.ValuesOf(saved), "kepala-bpvp", "coordinator")
	if err != nil {
		t.Fatal(err)
	}
	told := noticeOutcome("c1", workflows.UpdateResult{}, &RefusedError{CaseID: "c1", Reason: "case c1 is closed: its package's change does not apply to it",
		Code: "refusal.change-closed", Params: map[string]string{"case": "c1"}})
	if err := st.RecordPackageEditCases(ctx, id, []store.PackageEditCase{told}); err != nil {
		t.Fatal(err)
	}
	edits, err := st.ListPackageEdits(ctx, good.Code)
	if err != nil || len(edits) != 1 || len(edits[0].Cases) != 1 {
		t.Fatalf("edits %+v, %v", edits, err)
	}
	if kept := edits[0].Cases[0]; kept.Code != "refusal.change-closed" || kept.Params["case"] != "c1" || kept.Message != told.Message {
		t.Errorf("kept %+v", kept)
	}
}

// A journey's refusal of a package change is kept with its code and parameters beside the
// English, and so is a closed case's; a failure to reach the journey keeps its sentence only.
func TestPackageNoticeRefusalKeepsItsCode(t *testing.T) {
	refused := &RefusedError{CaseID: "c1", Reason: "case c1 is closed: its package's change does not apply to it",
		Code: "refusal.change-closed", Params: map[string]string{"case": "c1"}}
	got := noticeOutcome("c1", workflows.UpdateResult{}, refused)
	if got.Outcome != NoticeRefused || got.Message != refused.Reason || got.Code != "refusal.change-closed" || got.Params["case"] != "c1" {
		t.Errorf("refused: %+v", got)
	}
	closed := closedError("c2", vocab.OutcomeWithdrawn, workflows.UpdatePackageChanged, nil)
	got = noticeOutcome("c2", workflows.UpdateResult{}, closed)
	if got.Outcome != NoticeRefused || got.Code != "refusal.closed" || got.Params["nothing"] == "" {
		t.Errorf("closed: %+v", got)
	}
	id, en := i18n.For(i18n.ID, nil).T(got.Code, got.Params), i18n.For(i18n.EN, nil).T(got.Code, got.Params)
	if id == en || strings.ContainsAny(id+en, "{}") || strings.Contains(id, "closed") || strings.Contains(id, "package") {
		t.Errorf("closed worded %q / %q", id, en)
	}
	got = noticeOutcome("c3", workflows.UpdateResult{}, errors.New("context deadline exceeded"))
	if got.Outcome != NoticeFailed || got.Code != "" {
		t.Errorf("failed: %+v", got)
	}
}
