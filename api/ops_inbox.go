package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// inboxKind is one kind of human step a case can wait for.
type inboxKind struct {
	Kind      string
	Role      vocab.Role
	WaitingOn vocab.Party
	Stage     vocab.Stage
	// Action is the case action that answers it (POST /api/v1/cases/{id}/<action>).
	Action  string
	Label   string
	LabelID string
	// Reason, when set, keeps only the cases stuck with it: an LSP's refusal waits on the same
	// person in the same stage as a decision, and needs other actions.
	Reason vocab.Reason
}

// inboxKinds are the decisions a person owes a case, by role. A placement follow-up also waits
// on the centre admin, but for news rather than a decision, so it is not in the inbox.
var inboxKinds = []inboxKind{
	{"enrolment-approval", vocab.RoleCentreAdmin, vocab.WaitingCentreAdmin, vocab.StageEnrolment, "enrolment",
		"Enrolment approvals", "Persetujuan pendaftaran", ""},
	{"seat-waiting", vocab.RoleCentreAdmin, vocab.WaitingSeat, vocab.StageEnrolment, "seat",
		"Approved enrolments on the waiting list: a seat frees when a case leaves before training, or a coordinator raises the capacity",
		"Pendaftaran disetujui dalam daftar tunggu: kursi kosong bila peserta keluar sebelum pelatihan, atau koordinator menambah kapasitas", ""},
	{"correction", vocab.RoleCentreAdmin, vocab.WaitingCorrection, vocab.StageInsurance, "correction",
		"Data refused by BPJS, to correct", "Data ditolak BPJS, perlu dikoreksi", ""},
	{"certification-approval", vocab.RoleLSPManager, vocab.WaitingLSPManager, vocab.StageCertification, "certification",
		"Certification approvals", "Persetujuan sertifikasi", ""},
	{"assessment-refused", vocab.RoleLSPManager, vocab.WaitingLSPManager, vocab.StageAssessment, workflows.UpdateRetryRefused,
		"Assessment requests refused by the LSP: retry, or close without a certificate (coordinator)",
		"Permintaan uji ditolak LSP: coba lagi, atau tutup tanpa sertifikat (koordinator)", vocab.StuckAssessmentRefused},
	{"certificate-refused", vocab.RoleLSPManager, vocab.WaitingLSPManager, vocab.StageCertification, workflows.UpdateRetryRefused,
		"Certificates refused by the LSP: retry, re-assess, or close without a certificate (coordinator)",
		"Sertifikat ditolak LSP: coba lagi, uji ulang, atau tutup tanpa sertifikat (koordinator)", vocab.StuckCertificateRefused},
}

// otherReasons are the reasons other inbox kinds claim at the same party and stage as k, so
// that a case is listed once: a refused certificate is not a certification approval.
func (k inboxKind) otherReasons() []vocab.Reason {
	var out []vocab.Reason
	for _, o := range inboxKinds {
		if o.Reason != "" && o.Reason != k.Reason && o.WaitingOn == k.WaitingOn && o.Stage == k.Stage {
			out = append(out, o.Reason)
		}
	}
	return out
}

// InboxRoles are the roles the inbox has decisions for, in the order of its groups (the values
// of its ?role= filter).
var InboxRoles = func() []vocab.Role {
	var out []vocab.Role
	for _, k := range inboxKinds {
		if !slices.Contains(out, k.Role) {
			out = append(out, k.Role)
		}
	}
	return out
}()

// InboxItem is one case waiting for a person.
type InboxItem struct {
	CaseID  string      `json:"case_id"`
	Package string      `json:"package"`
	Centre  string      `json:"centre"`
	LSP     string      `json:"lsp"`
	Stage   vocab.Stage `json:"stage"`
	Since   time.Time   `json:"since"`
	// Overdue is set once the wait has passed its SLA (the case is stuck); Why says so in words.
	Overdue bool   `json:"overdue"`
	Why     string `json:"why,omitempty"`
	// WhyMessage and WhyParams are Why as a message of the catalogue (package i18n).
	WhyMessage string            `json:"why_message,omitempty"`
	WhyParams  map[string]string `json:"why_params,omitempty"`
	// Seats is how full the case's package is, for an enrolment decision or a waiting case.
	Seats *store.SeatCount `json:"seats,omitempty"`
	// WaitlistPosition is a waiting case's place on its package's waiting list (from 1).
	WaitlistPosition int `json:"waitlist_position,omitempty"`
	// Person is whom the decision is about, when the caller's role may see it.
	Person *store.Person `json:"person,omitempty"`
	// Evidence is what the decision rests on (rules not met, the assessment's result).
	Evidence *Evidence `json:"evidence,omitempty"`
}

// InboxGroup is the cases waiting for one kind of decision by one role, the longest waiting
// first. Total counts them all; Cases holds at most the requested limit, from Offset on.
type InboxGroup struct {
	Kind    string      `json:"kind"`
	Role    vocab.Role  `json:"role"`
	Action  string      `json:"action"`
	Label   string      `json:"label"`
	LabelID string      `json:"label_id"`
	Total   int         `json:"total"`
	Offset  int         `json:"offset"`
	Cases   []InboxItem `json:"cases"`
}

// Inbox is every case waiting on a person, grouped by role and decision.
type Inbox struct {
	GeneratedAt time.Time    `json:"generated_at"`
	Groups      []InboxGroup `json:"groups"`
}

// inboxExportHeader are the columns of an inbox export.
var inboxExportHeader = []string{"kind", "role", "case_id", "centre", "lsp", "package", "stage", "since", "overdue", "why",
	"name", "nik_masked", "age", "phone"}

// inboxRows renders one group's waiting items as export rows.
func (s *Server) inboxRows(r *http.Request, format, kind string, role vocab.Role, items []InboxItem) [][]string {
	at, _ := s.timeCells(r, format)
	rows := make([][]string, 0, len(items))
	for _, c := range items {
		rows = append(rows, append([]string{kind, string(role), c.CaseID, c.Centre, c.LSP, c.Package, string(c.Stage),
			at(c.Since), strconv.FormatBool(c.Overdue), c.Why}, personCells(c.Person)...))
	}
	return rows
}

// streamInbox exports every case waiting on a person in scope (of role's groups, when given),
// group after group, a batch at a time (streamTable).
func (s *Server) streamInbox(w http.ResponseWriter, r *http.Request, format string, base store.WaitFilter, role vocab.Role) {
	var kinds []inboxKind
	for _, k := range inboxKinds {
		if role == "" || k.Role == role {
			kinds = append(kinds, k)
		}
	}
	s.streamTable(w, r, format, "kotak-masuk-inbox", inboxExportHeader, func(emit func([][]string) error) error {
		for _, k := range kinds {
			f := base
			f.WaitingOn, f.Stage, f.Reason, f.NotReasons = k.WaitingOn, k.Stage, k.Reason, k.otherReasons()
			f.Limit = exportBatch
			for {
				_, cs, err := s.Store.WaitingCases(r.Context(), f)
				if err == nil {
					err = s.attachPeople(r.Context(), cs)
				}
				if err != nil {
					return fmt.Errorf("inbox %s from %d: %w", k.Kind, f.Offset, err)
				}
				items := make([]InboxItem, 0, len(cs))
				for _, c := range cs {
					it := InboxItem{CaseID: c.CaseID, Package: c.PackageCode, Centre: c.CentreCode, LSP: c.LSPCode, Stage: c.Stage,
						Since: c.StageEnteredAt, Overdue: c.Stuck, Person: c.Person}
					if c.Stuck {
						it.Why = c.StuckReason
					}
					items = append(items, it)
				}
				if err := emit(s.inboxRows(r, format, k.Kind, k.Role, items)); err != nil {
					return err
				}
				if len(cs) < exportBatch {
					break
				}
				f.Offset += len(cs)
			}
		}
		return nil
	})
}

// inbox lists the cases in the caller's read scope (see readScope) waiting on a person.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) {
	format, ok := listFormat(w, r, "csv", "xlsx")
	if !ok {
		return
	}
	q := r.URL.Query()
	scope, ok := scopedFilter(w, r, q.Get("centre"), q.Get("lsp"))
	if !ok {
		return
	}
	role, ok := oneOf(w, r, "role", InboxRoles)
	if !ok {
		return
	}
	limit, ok := intParam(w, r, "limit", 100, 1, 10000)
	if !ok {
		return
	}
	offset, ok := intParam(w, r, "offset", 0, 0, 1<<30)
	if !ok {
		return
	}
	if format != "json" && q.Get("limit") == "" {
		// An export takes every waiting case in scope, a batch at a time.
		s.streamInbox(w, r, format, store.WaitFilter{Scope: scope, CentreCode: q.Get("centre"), LSPCode: q.Get("lsp")}, role)
		return
	}
	out := Inbox{GeneratedAt: time.Now(), Groups: []InboxGroup{}}
	for _, k := range inboxKinds {
		if role != "" && k.Role != role {
			continue
		}
		total, cs, err := s.Store.WaitingCases(r.Context(), store.WaitFilter{Scope: scope,
			WaitingOn: k.WaitingOn, Stage: k.Stage, Reason: k.Reason, NotReasons: k.otherReasons(),
			CentreCode: q.Get("centre"), LSPCode: q.Get("lsp"), Limit: limit, Offset: offset,
		})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.attachPeople(r.Context(), cs); err != nil {
			s.fail(w, r, err)
			return
		}
		g := InboxGroup{Kind: k.Kind, Role: k.Role, Action: k.Action, Label: k.Label, LabelID: k.LabelID, Total: total, Offset: offset,
			Cases: make([]InboxItem, 0, len(cs))}
		for _, c := range cs {
			it := InboxItem{CaseID: c.CaseID, Package: c.PackageCode, Centre: c.CentreCode, LSP: c.LSPCode, Stage: c.Stage,
				Since: c.StageEnteredAt, Overdue: c.Stuck, Person: c.Person}
			if c.Stuck {
				it.Why, it.WhyMessage, it.WhyParams = c.StuckReason, c.StuckMessage, c.StuckParams
			}
			g.Cases = append(g.Cases, it)
		}
		if k.Stage == vocab.StageEnrolment {
			if err := s.addSeats(r, g.Cases); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		if err := s.attachEvidence(r.Context(), &g); err != nil {
			s.fail(w, r, err)
			return
		}
		out.Groups = append(out.Groups, g)
	}
	if format != "json" {
		var rows [][]string
		for _, g := range out.Groups {
			rows = append(rows, s.inboxRows(r, format, g.Kind, g.Role, g.Cases)...)
		}
		s.writeTable(w, r, format, "kotak-masuk-inbox", inboxExportHeader, rows)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// addSeats gives enrolment items their package's seat count and, for waiting cases, their
// position on the waiting list.
func (s *Server) addSeats(r *http.Request, items []InboxItem) error {
	var pkgs []string
	for _, it := range items {
		if !slices.Contains(pkgs, it.Package) {
			pkgs = append(pkgs, it.Package)
		}
	}
	if len(pkgs) == 0 {
		return nil
	}
	counts, err := s.Store.SeatCounts(r.Context(), pkgs)
	if err != nil {
		return err
	}
	positions := map[string]map[string]int{}
	for _, p := range pkgs {
		if counts[p].Waiting == 0 {
			continue
		}
		if positions[p], err = s.Store.WaitlistPositions(r.Context(), p); err != nil {
			return err
		}
	}
	for i := range items {
		if c, ok := counts[items[i].Package]; ok {
			items[i].Seats = &c
		}
		items[i].WaitlistPosition = positions[items[i].Package][items[i].CaseID]
	}
	return nil
}
