package store_test

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Milestones are part of the versioned projection: written with the row, read back, and never
// overwritten by an older write.
func TestUpsertCaseMilestones(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	grad := time.Date(2026, 4, 30, 17, 0, 0, 0, time.UTC)
	placed := grad.AddDate(0, 2, 0)
	c := newCase("M1", "P1", "h1", 5)
	c.Milestones = store.Milestones{Enrolled: true, Insured: true, Graduated: true, Assessed: true, Competent: true,
		Certified: true, GraduatedOn: &grad, PlacementCategory: "formal", PlacedOn: &placed}
	must(t, st.UpsertCase(ctx, c))

	older := newCase("M1", "P1", "h1", 4)
	older.Milestones = store.Milestones{Enrolled: true}
	must(t, st.UpsertCase(ctx, older))

	got, err := st.GetCase(ctx, "M1")
	must(t, err)
	m := got.Milestones
	if !m.Enrolled || !m.Insured || !m.Graduated || !m.Assessed || !m.Competent || !m.Certified ||
		m.PlacementCategory != "formal" || m.GraduatedOn == nil || !m.GraduatedOn.Equal(grad) ||
		m.PlacedOn == nil || !m.PlacedOn.Equal(placed) {
		t.Fatalf("milestones read back as %+v", m)
	}
	if got.EscalatedAt != nil || got.EscalatedTo != "" {
		t.Fatalf("a new case is escalated: %v %q", got.EscalatedAt, got.EscalatedTo)
	}
}

// Cases written before migration 00003 get their milestones from the event log, the outcome
// and the package dates, so closed cases (never projected again) count in the funnel.
func TestMigrationBackfillsMilestones(t *testing.T) {
	ctx := context.Background()
	url := testdb.New(t)
	db, err := sql.Open("pgx", url)
	must(t, err)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, os.DirFS("migrations"))
	must(t, err)
	_, err = p.UpTo(ctx, 2)
	must(t, err)
	end := time.Date(2026, 4, 30, 10, 0, 0, 0, time.UTC)
	reported := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	for _, q := range []string{
		`INSERT INTO centres (code, name) VALUES ('BLK-X', 'BLK X')`,
		`INSERT INTO partners (code, kind, name) VALUES ('LSP-X', 'certifier', 'LSP X')`,
		`INSERT INTO training_packages (code, centre_code, lsp_code, start_date, end_date, capacity)
		 VALUES ('P', 'BLK-X', 'LSP-X', '2026-03-01', '` + end.Format(time.RFC3339) + `', 16)`,
		`INSERT INTO cases (case_id, workflow_id, package_code, stage, status, outcome, kpj, certificate_no)
		 VALUES ('placed', 'w1', 'P', 'closed', 'closed', 'self-employed', '12345678901', 'CERT-1'),
		        ('rejected', 'w2', 'P', 'closed', 'closed', 'rejected', '', '')`,
		`INSERT INTO case_events (case_id, event_key, kind, at) VALUES
		 ('placed', '1', 'enrolment-approved', now()), ('placed', '2', 'graduated', now()),
		 ('placed', '3', 'assessment-result', now()), ('placed', '4', 'competent', now()),
		 ('placed', '5', 'placement-reported', '` + reported.Format(time.RFC3339) + `'),
		 ('rejected', '1', 'enrolment-rejected', now())`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	must(t, store.Migrate(ctx, url))
	st, err := store.Open(ctx, url)
	must(t, err)
	defer st.Close()

	got, err := st.GetCase(ctx, "placed")
	must(t, err)
	m := got.Milestones
	if !m.Enrolled || !m.Insured || !m.Graduated || !m.Assessed || !m.Competent || !m.Certified ||
		m.PlacementCategory != "self-employed" || m.GraduatedOn == nil || !m.GraduatedOn.Equal(end) ||
		m.PlacedOn == nil || !m.PlacedOn.Equal(reported) {
		t.Fatalf("placed case backfilled as %+v", m)
	}
	rej, err := st.GetCase(ctx, "rejected")
	must(t, err)
	if rej.Milestones != (store.Milestones{}) {
		t.Fatalf("rejected case backfilled as %+v", rej.Milestones)
	}
}
