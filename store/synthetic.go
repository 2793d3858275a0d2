package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/jackc/pgx/v5"
)

// SyntheticPrefix starts the code of every synthetic package and case, so they are easy to tell
// apart (and to delete) in a database that also holds real ones.
const SyntheticPrefix = "SYN-"

// SeedSynthetic fills the read model with n synthetic cases (and a package per 16 of them) spread
// over the registry's centres and LSPs, at every stage, with about 6% stuck, so the operations
// queries can be measured at scale. It is for benchmarks and demonstrations: the cases have no
// participants and no workflows. The same seed gives the same data. It needs the registry seed.
func (s *Store) SeedSynthetic(ctx context.Context, n int, seed uint64, now time.Time) error {
	centres, err := s.ListCentres(ctx)
	if err != nil {
		return fmt.Errorf("seed synthetic cases: %w", err)
	}
	partners, err := s.ListPartners(ctx)
	if err != nil {
		return fmt.Errorf("seed synthetic cases: %w", err)
	}
	var lsps []string
	for _, p := range partners {
		if p.Kind == "certifier" {
			lsps = append(lsps, p.Code)
		}
	}
	if len(centres) == 0 || len(lsps) == 0 {
		return fmt.Errorf("seed synthetic cases: the registry seed is missing (no centres or LSPs): %w", ErrInvalid)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	trades := []string{"Las (welding)", "Otomotif", "Listrik", "Menjahit", "TIK", "Tata boga", "Refrigerasi"}

	type pkg struct {
		code, centre, lsp, trade string
		start, end               time.Time
	}
	pkgs := make([]pkg, (n+15)/16)
	for i := range pkgs {
		// Packages started over the last two years, each a month long.
		start := now.Add(-time.Duration(rng.IntN(730*24)) * time.Hour)
		pkgs[i] = pkg{
			code:   fmt.Sprintf("%sPKG-%05d", SyntheticPrefix, i),
			centre: centres[i%len(centres)].Code,
			lsp:    lsps[rng.IntN(len(lsps))],
			trade:  trades[rng.IntN(len(trades))],
			start:  start,
			end:    start.Add(30 * 24 * time.Hour),
		}
	}
	_, err = s.pool.CopyFrom(ctx, pgx.Identifier{"training_packages"},
		[]string{"code", "centre_code", "trade", "scheme", "lsp_code", "start_date", "end_date", "capacity", "attendance_min"},
		pgx.CopyFromSlice(len(pkgs), func(i int) ([]any, error) {
			p := pkgs[i]
			return []any{p.code, p.centre, p.trade, "SKM-SYN", p.lsp, p.start, p.end, 16, 0.8}, nil
		}))
	if err != nil {
		return fmt.Errorf("seed synthetic packages: %w", err)
	}

	// The follow-ups draw from their own generator, so that the cases' positions on the path
	// stay those the other benchmarks measured before the follow-up columns came.
	frng := rand.New(rand.NewPCG(seed^0x5eed, seed))
	rows := make([][]any, n)
	for i := range rows {
		p := pkgs[i/16]
		c := syntheticCase(rng, now, i, p.code, p.centre, p.lsp, p.start, p.end)
		if c.Stage == vocab.StagePlacement {
			c.FollowUp = syntheticFollowUp(frng, now)
		}
		rows[i] = append([]any{c.CaseID, c.WorkflowID, c.PackageCode, c.CentreCode, c.LSPCode, c.NIKHash, c.Stage, c.Status,
			c.Outcome, c.WaitingOn, c.Stuck, c.StuckCode, c.StuckReason, c.StuckSince, c.StageEnteredAt, c.KPJ,
			c.CertificateNo, c.Attempts, c.LastError, c.Version, now, c.Enrolled, c.Insured, c.Graduated,
			c.Assessed, c.Competent, c.Certified, c.GraduatedOn, c.PlacementCategory, c.PlacedOn}, followUpArgs(c.FollowUp)...)
	}
	_, err = s.pool.CopyFrom(ctx, pgx.Identifier{"cases"},
		[]string{"case_id", "workflow_id", "package_code", "centre_code", "lsp_code", "nik_hash", "stage", "status",
			"outcome", "waiting_on", "stuck", "stuck_code", "stuck_reason", "stuck_since", "stage_entered_at", "kpj",
			"certificate_no", "attempts", "last_error", "version", "updated_at", "enrolled", "insured", "graduated",
			"assessed", "competent", "certified", "graduated_on", "placement_category", "placed_on",
			"followup_next", "followups_missed", "followup_unanswered", "followup_contact", "followup_contact_at",
			"followup_contact_note", "confirm_until", "placement_employer"},
		pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("seed synthetic cases: %w", err)
	}
	// Vacuum and fresh statistics, as autovacuum gives a live system after a bulk load: without
	// the visibility map every scan of freshly copied rows is several times slower.
	for _, q := range []string{`VACUUM (ANALYZE) cases`, `VACUUM (ANALYZE) training_packages`} {
		if _, err := s.pool.Exec(ctx, q); err != nil {
			return fmt.Errorf("vacuum after seeding: %w", err)
		}
	}
	return nil
}

// syntheticFollowUp draws a graduate's follow-up: most have nothing due for weeks, about a
// quarter missed one or more (no placement reported), some were called, a few self-reported a
// placement that waits for staff.
func syntheticFollowUp(rng *rand.Rand, now time.Time) *FollowUp {
	next := now.Add(time.Duration(rng.IntN(90*24)) * time.Hour)
	f := &FollowUp{Next: &next}
	if rng.Float64() < 0.25 {
		f.Missed = 1 + rng.IntN(3)
	}
	if rng.Float64() < 0.15 {
		f.Unanswered = 1
	}
	if rng.Float64() < 0.3 {
		at := now.Add(-time.Duration(1+rng.IntN(60*24)) * time.Hour)
		f.Contact, f.ContactAt = vocab.ContactNotReached, &at
	}
	if rng.Float64() < 0.02 {
		until := now.Add(time.Duration(1+rng.IntN(14*24)) * time.Hour)
		f.ConfirmUntil, f.Employer = &until, "PT Sintetis"
	}
	return f
}

// syntheticCase draws one case's position on the path. The shares roughly follow a network
// two years in: most cases are in placement follow-up or closed.
func syntheticCase(rng *rand.Rand, now time.Time, i int, pkgCode, centre, lsp string, start, end time.Time) Case {
	id := fmt.Sprintf("syn%07d", i)
	c := Case{
		CaseID: id, WorkflowID: "journey/" + pkgCode + "/" + id, PackageCode: pkgCode, CentreCode: centre,
		LSPCode: lsp, NIKHash: "synthetic-" + id, Status: StatusOpen, Version: 10,
	}
	ago := func(maxHours int) time.Time { return now.Add(-time.Duration(1+rng.IntN(maxHours)) * time.Hour) }
	stuck := func(share float64, code vocab.Reason, reason string) {
		if rng.Float64() < share {
			since := ago(24 * 20)
			c.Stuck, c.StuckCode, c.StuckReason, c.StuckSince = true, code, reason, &since
		}
	}
	closed := func(outcome vocab.Outcome) {
		c.Stage, c.Status, c.Outcome = vocab.StageClosed, StatusClosed, outcome
	}
	graduate := func() {
		c.Enrolled, c.Insured, c.Graduated = true, true, true
		c.KPJ = fmt.Sprintf("9%010d", i)
		g := end
		c.GraduatedOn = &g
	}
	c.StageEnteredAt = ago(24 * 60)
	switch r := rng.Float64(); {
	case r < 0.03:
		closed(vocab.OutcomeRejected)
	case r < 0.08:
		c.Stage, c.WaitingOn = vocab.StageEnrolment, vocab.WaitingCentreAdmin
		stuck(0.2, vocab.StuckApprovalOverdue, "enrolment approval pending for more than 3 days (centre admin)")
	case r < 0.12:
		c.Stage, c.WaitingOn, c.Enrolled = vocab.StageInsurance, vocab.WaitingBPJS, true
		stuck(0.4, vocab.StuckPartnerFailing, "waiting on BPJS Ketenagakerjaan for more than 48h")
		if c.Stuck {
			c.Attempts, c.LastError = 3+rng.IntN(20), "bpjs: register: HTTP 503: service unavailable"
		}
	case r < 0.13:
		c.Stage, c.WaitingOn, c.Enrolled = vocab.StageInsurance, vocab.WaitingCorrection, true
		stuck(0.5, vocab.StuckCorrectionOverdue, "BPJS refused the participant's data 7 days ago and no correction was made")
	case r < 0.23:
		c.Stage, c.Enrolled, c.Insured = vocab.StageTraining, true, true
	case r < 0.27:
		c.Enrolled, c.Insured = true, true
		closed(vocab.OutcomeDroppedOut)
	case r < 0.33:
		c.Enrolled, c.Insured = true, true
		closed(vocab.OutcomeNotGraduated)
	case r < 0.38:
		graduate()
		c.Stage, c.WaitingOn = vocab.StageAssessment, vocab.WaitingLSP
		if rng.Float64() < 0.1 {
			c.WaitingOn = vocab.WaitingAgreement
			stuck(1, vocab.StuckNoAgreement, "no active MoU with "+lsp+" for centre "+centre+" and scheme SKM-SYN")
		} else {
			stuck(0.2, vocab.StuckResultOverdue, "assessment result from "+lsp+" overdue by more than 14 days")
		}
	case r < 0.41:
		graduate()
		c.Assessed, c.Competent = true, true
		c.Stage, c.WaitingOn = vocab.StageCertification, vocab.WaitingLSPManager
		stuck(0.3, vocab.StuckApprovalOverdue, "certificate approval pending for more than 7 days (LSP certification manager)")
	case r < 0.60:
		graduate()
		c.Assessed = true
		c.Competent = rng.Float64() < 0.9
		c.Certified = c.Competent
		c.Stage, c.WaitingOn = vocab.StagePlacement, vocab.WaitingCentreAdmin
	default:
		graduate()
		c.Assessed = true
		c.Competent = rng.Float64() < 0.9
		c.Certified = c.Competent
		categories := []vocab.Placement{vocab.PlacementFormal, vocab.PlacementFormal, vocab.PlacementFormal,
			vocab.PlacementInformal, vocab.PlacementSelfEmployed, vocab.PlacementContinuingStudy, ""}
		c.PlacementCategory = categories[rng.IntN(len(categories))]
		if c.PlacementCategory == "" {
			closed(vocab.OutcomeNotPlaced)
		} else {
			closed(c.PlacementCategory.Outcome())
			placed := end.Add(time.Duration(rng.IntN(300*24)) * time.Hour)
			c.PlacedOn = &placed
		}
	}
	if c.Certified {
		c.CertificateNo = "SYN-CERT-" + id
	}
	return c
}
