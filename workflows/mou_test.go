package workflows_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// A draft is signed, comes into force at midnight WIB on its first day, is amended (longer, with
// named centres), reminds the coordinator 90, 30 and 7 days before its new end, and expires.
func TestMoULifecycleDraftToExpired(t *testing.T) {
	const number = "MOU/BPVP-SDA/LSP-LOGAM/2025"
	start := time.Date(2025, 1, 6, 1, 0, 0, 0, time.UTC)
	h := newMoUHarness(t, start, wf.MoUState{Number: number, Kind: agreement.KindMoU, PartnerCode: "LSP-LOGAM",
		Status: agreement.Draft, ValidFrom: date(2025, 2, 1), ValidUntil: date(2025, 12, 31),
		Scope: wf.Scope{Schemes: []string{"SKM-LAS-SMAW"}}, Origin: "created"})
	sign := wf.SignRequest{Actor: coordinator, SignedOn: date(2025, 1, 6), Signatories: []string{"Kepala BPVP Sidoarjo", "Ketua LSP Logam"}}
	early := h.updateAt(start.Add(30*time.Minute), wf.UpdateMoUAmend, wf.Amendment{Actor: wf.Actor{ID: "x", Role: vocab.RoleCentreAdmin}, ValidUntil: dp(date(2026, 1, 1))})
	signed := h.updateAt(start.Add(time.Hour), wf.UpdateMoUSign, sign)
	again := h.updateAt(start.Add(2*time.Hour), wf.UpdateMoUSign, sign)
	beforeStart := h.stateAt(midnightWIB(2025, 2, 1).Add(-time.Minute))
	inForce := h.stateAt(midnightWIB(2025, 2, 1).Add(time.Minute))
	amendAt := time.Date(2025, 3, 1, 3, 0, 0, 0, time.UTC)
	pastEnd := h.updateAt(amendAt, wf.UpdateMoUAmend, wf.Amendment{Actor: coordinator, ValidUntil: dp(date(2025, 2, 28))})
	amended := h.updateAt(amendAt.Add(time.Minute), wf.UpdateMoUAmend, wf.Amendment{Actor: coordinator, Ref: "ADD/01/2025",
		ValidUntil: dp(date(2026, 3, 31)), Centres: &[]string{"BLK-SDA", "BLK-SBY"}, Note: "two more years of welding"})
	expiring := h.stateAt(midnightWIB(2026, 1, 1).Add(time.Minute))
	h.run()

	require.NoError(t, h.err)
	require.Equal(t, agreement.Expired, h.result.Status)
	early.requireRejected(t, `role "centre-admin" may not do this`)
	signed.requireAccepted(t)
	again.requireRejected(t, "is signed, not a draft")
	pastEnd.requireRejected(t, "has passed; terminate the agreement instead")
	amended.requireAccepted(t)

	require.Equal(t, agreement.Signed, beforeStart.Status, "signed, not yet in force")
	require.Equal(t, agreement.Active, inForce.Status, "in force from midnight WIB on its first day")
	require.Equal(t, agreement.Expiring, expiring.Status)
	require.Equal(t, []int{90}, expiring.RemindersSent)
	require.Equal(t, []string{"BLK-SDA", "BLK-SBY"}, h.result.Scope.Centres)
	require.Equal(t, date(2026, 3, 31), h.result.ValidUntil)

	days, at := h.reminderLog(number)
	require.Equal(t, []int{90, 30, 7}, days)
	require.Equal(t, []time.Time{midnightWIB(2026, 1, 1), midnightWIB(2026, 3, 2), midnightWIB(2026, 3, 25)}, at,
		"reminders counted back from the amended end (31 March 2026)")
	require.Equal(t, []string{agreement.Draft, agreement.Signed, agreement.Active, agreement.Expiring, agreement.Expired}, h.statuses(number))
	rows := h.rows(number)
	last := rows[len(rows)-1]
	require.Equal(t, midnightWIB(2026, 4, 1), last.at, "expired when 31 March ended in WIB")
	require.Equal(t, 1, last.in.Amendments)
	require.Equal(t, []string{"Kepala BPVP Sidoarjo", "Ketua LSP Logam"}, last.in.Signatories)

	// The journeys are told when it comes into force and when an addendum widens it; its PKS
	// learn of the new end and of the end itself.
	require.Len(t, h.notifies, 2)
	require.Equal(t, midnightWIB(2025, 2, 1), h.notifies[0].at)
	require.Equal(t, []string{"SKM-LAS-SMAW"}, h.notifies[0].in.Schemes)
	require.Equal(t, wf.SignalAgreementChanged, h.notifies[0].in.Signal)
	require.Equal(t, amendAt.Add(time.Minute), h.notifies[1].at)
	require.Equal(t, []string{"BLK-SDA", "BLK-SBY"}, h.notifies[1].in.Centres)
	require.Len(t, h.tells, 2)
	require.Equal(t, date(2026, 3, 31), h.tells[0].in.Change.LastDay)
	require.Equal(t, agreement.Expired, h.tells[1].in.Change.Status)
	require.Equal(t, wf.SignalMoUParentChanged, h.tells[0].in.Signal)

	requireOrder(t, h.kinds(number), "created", "signed", "active", "amended", "reminder", "reminder", "reminder", "expired")
	am := h.eventsOf(number, "amended")[0]
	require.Equal(t, coordinator.ID, am.ActorID)
	require.Contains(t, am.Detail, "ADD/01/2025: end 2025-12-31 → 2026-03-31; centres all → BLK-SDA,BLK-SBY")
	require.Contains(t, h.eventsOf(number, "reminder")[0].Detail, "ends after 2026-03-31 (90 days left): reminder to the coordinator BPVP-SDA; no successor yet")
	h.requireRowsConsistent(number, 1, 1)
}

// An agreement lives for years: when the history grows it continues as new carrying its state.
// The 90- and 30-day reminders were sent in the first run, the 7-day one is still pending; an
// addendum accepted while the workflow decided to continue is finished first and carried over.
func TestMoUContinuesAsNewWithPendingReminders(t *testing.T) {
	const number = "MOU/CAN/2024"
	start := time.Date(2025, 3, 1, 1, 0, 0, 0, time.UTC)
	h := newMoUHarness(t, start, activeMoU(number, date(2025, 6, 30)))
	h.reminderDelay = time.Hour // the webhook is slow: the addendum arrives while a reminder is out
	h.at(midnightWIB(2025, 6, 1).Add(5*time.Minute), func() { h.env.SetContinueAsNewSuggested(true) })
	add := h.updateAt(midnightWIB(2025, 6, 1).Add(10*time.Minute), wf.UpdateMoUAmend,
		wf.Amendment{Actor: coordinator, Ref: "ADD/CAN", Schemes: &[]string{"SKM-LAS-SMAW"}})
	h.run()

	add.requireAccepted(t)
	in := h.continued()
	s := in.State
	require.Equal(t, []int{30, 90}, s.RemindersSent, "sent reminders travel with the state; the 7-day one is pending")
	require.Equal(t, agreement.Expiring, s.Status)
	require.Len(t, s.Amendments, 1, "the addendum finished before the run ended")
	require.Equal(t, []string{"SKM-LAS-SMAW"}, s.Scope.Schemes)
	require.Equal(t, 1, s.Runs)
	require.Equal(t, mouSettings(), in.Settings)
	days, at := h.reminderLog(number)
	require.Equal(t, []int{90, 30}, days)
	require.Equal(t, []time.Time{midnightWIB(2025, 4, 2), midnightWIB(2025, 6, 1)}, at)
	require.Len(t, h.eventsOf(number, "amended"), 1)
	require.Equal(t, s.Version, h.rows(number)[len(h.rows(number))-1].in.Version, "the last write of the run is the state carried over")

	// The next run picks up where the first stopped: only the 7-day reminder, then the end.
	h2 := newMoUHarness(t, h.env.Now(), s)
	h2.in.Settings = in.Settings
	h2.run()
	require.NoError(t, h2.err)
	days, at = h2.reminderLog(number)
	require.Equal(t, []int{7}, days, "no reminder sent twice, none lost")
	require.Equal(t, []time.Time{midnightWIB(2025, 6, 24)}, at)
	require.Equal(t, agreement.Expired, h2.result.Status)
	require.Equal(t, midnightWIB(2025, 7, 1), h2.rows(number)[len(h2.rows(number))-1].at)
	require.Empty(t, h2.eventsOf(number, "tracked"), "a continued run announces nothing")
	h2.requireRowsConsistent(number, s.Version+1, s.Seq+1)
}

// A renewal starts the successor as its own workflow; it comes into force the moment the old
// one ends, so there is no gap, and the old one ends as renewed.
func TestMoURenewedWithoutGap(t *testing.T) {
	start := time.Date(2025, 5, 1, 1, 0, 0, 0, time.UTC)
	h := newMoUHarness(t, start, activeMoU("MOU/OLD", date(2025, 6, 30)))
	req := wf.RenewRequest{Actor: coordinator, Successor: "MOU/NEW", SignedOn: date(2025, 5, 2),
		Signatories: []string{"Kepala BPVP Sidoarjo", "Ketua LSP Logam"}, ValidFrom: date(2025, 7, 1), ValidUntil: date(2026, 6, 30)}
	renew := h.updateAt(start.Add(day), wf.UpdateMoURenew, req)
	repeat := h.updateAt(start.Add(2*day), wf.UpdateMoURenew, req)
	other := req
	other.Successor = "MOU/OTHER"
	refused := h.updateAt(start.Add(2*day), wf.UpdateMoURenew, other)
	h.run()

	require.NoError(t, h.err)
	renew.requireAccepted(t)
	repeat.requireAccepted(t)
	refused.requireRejected(t, "already renewed by MOU/NEW")
	require.Equal(t, agreement.Renewed, h.result.Status)
	require.Equal(t, "MOU/NEW", h.result.Successor)
	require.Empty(t, h.result.Flags)
	require.Contains(t, h.eventsOf("MOU/OLD", "renewed")[0].Detail, "(no gap)")
	oldRows := h.rows("MOU/OLD")
	require.Equal(t, midnightWIB(2025, 7, 1), oldRows[len(oldRows)-1].at)

	var activeAt time.Time
	for _, r := range h.rows("MOU/NEW") {
		require.Equal(t, "MOU/OLD", r.in.Predecessor)
		if r.in.Status == agreement.Active && activeAt.IsZero() {
			activeAt = r.at
		}
	}
	require.Equal(t, midnightWIB(2025, 7, 1), activeAt, "the successor takes over the moment the old one ends")
	require.Equal(t, []string{agreement.Signed, agreement.Active, agreement.Expiring, agreement.Expired}, h.statuses("MOU/NEW"))
	require.Contains(t, h.eventsOf("MOU/NEW", "signed")[0].Detail, "successor of MOU/OLD")
	var told bool
	for _, n := range h.notifies {
		if n.in.Number == "MOU/NEW" && n.at.Equal(midnightWIB(2025, 7, 1)) {
			told = true
		}
	}
	require.True(t, told, "journeys waiting for LSP-LOGAM are told when the successor comes into force")
}

// A successor that starts later leaves days uncovered: the gap is flagged on the old agreement.
func TestMoURenewalGapIsFlagged(t *testing.T) {
	start := time.Date(2025, 5, 1, 1, 0, 0, 0, time.UTC)
	h := newMoUHarness(t, start, activeMoU("MOU/OLD", date(2025, 6, 30)))
	h.updateAt(start.Add(day), wf.UpdateMoURenew, wf.RenewRequest{Actor: coordinator, Successor: "MOU/LATE",
		SignedOn: date(2025, 5, 2), Signatories: []string{"Kepala BPVP Sidoarjo"}, ValidFrom: date(2025, 7, 15), ValidUntil: date(2025, 12, 31)})
	h.run()
	require.NoError(t, h.err)
	require.Len(t, h.result.Flags, 1)
	require.Equal(t, "gap of 14 day(s): MOU/OLD ends after 2025-06-30 but MOU/LATE starts on 2025-07-15; cases needing LSP-LOGAM in between will wait", h.result.Flags[0])
	require.Len(t, h.eventsOf("MOU/OLD", "gap"), 1)
	rows := h.rows("MOU/OLD")
	require.Equal(t, h.result.Flags, rows[len(rows)-1].in.Flags, "the flag reaches the read model")
}

// Terminated early: it stops covering from the termination day, and its PKS learn at once.
func TestMoUTerminatedEarly(t *testing.T) {
	start := time.Date(2025, 5, 1, 1, 0, 0, 0, time.UTC)
	h := newMoUHarness(t, start, activeMoU("MOU/T", date(2027, 12, 31)))
	at := time.Date(2025, 5, 10, 3, 0, 0, 0, time.UTC)
	noReason := h.updateAt(at.Add(-time.Minute), wf.UpdateMoUTerminate, wf.Termination{Actor: coordinator})
	tooLate := h.updateAt(at.Add(-time.Minute), wf.UpdateMoUTerminate, wf.Termination{Actor: coordinator, Reason: "x", On: dp(date(2028, 1, 1))})
	term := h.updateAt(at, wf.UpdateMoUTerminate, wf.Termination{Actor: coordinator, Reason: "LSP licence revoked by BNSP"})
	h.run()

	require.NoError(t, h.err)
	noReason.requireRejected(t, "a termination needs a reason")
	tooLate.requireRejected(t, "changes nothing")
	term.requireAccepted(t)
	require.Equal(t, agreement.Terminated, h.result.Status)
	require.Equal(t, date(2025, 5, 10), *h.result.TerminatedOn)
	rows := h.rows("MOU/T")
	last := rows[len(rows)-1]
	require.Equal(t, at, last.at, "ends at once")
	require.Equal(t, agreement.Terminated, last.in.Status)
	require.Equal(t, "LSP licence revoked by BNSP", last.in.EndReason)
	// The coverage queries read the row's last day as the store computes it.
	require.Equal(t, date(2025, 5, 9), store.Agreement{ValidUntil: last.in.ValidUntil, TerminatedOn: last.in.TerminatedOn}.LastDay())
	require.NotEmpty(t, h.tells)
	require.Equal(t, date(2025, 5, 10), *h.tells[0].in.Change.TerminatedOn)
	requireOrder(t, h.kinds("MOU/T"), "tracked", "termination", "terminated")
}

// A termination dated ahead keeps the agreement in force until that day.
func TestMoUTerminationScheduled(t *testing.T) {
	start := time.Date(2025, 5, 1, 1, 0, 0, 0, time.UTC)
	h := newMoUHarness(t, start, activeMoU("MOU/T2", date(2027, 12, 31)))
	h.updateAt(start.Add(time.Hour), wf.UpdateMoUTerminate, wf.Termination{Actor: coordinator, Reason: "merger", On: dp(date(2025, 6, 1))})
	before := h.stateAt(midnightWIB(2025, 6, 1).Add(-time.Minute))
	h.run()
	require.Equal(t, agreement.Expiring, before.Status, "still in force, and now ending within 30 days")
	days, at := h.reminderLog("MOU/T2")
	require.Equal(t, []int{31, 30, 7}, days, "counted back from the termination day, the first with the days really left")
	require.Equal(t, []time.Time{start.Add(time.Hour), midnightWIB(2025, 5, 2), midnightWIB(2025, 5, 25)}, at)
	require.Equal(t, agreement.Terminated, h.result.Status)
	rows := h.rows("MOU/T2")
	require.Equal(t, midnightWIB(2025, 6, 1), rows[len(rows)-1].at)
}

// A PKS follows its MoU: shortened and narrowed with it (and flagged), never extended past it,
// and terminated with it.
func TestPKSFollowsItsMoU(t *testing.T) {
	const number = "PKS/BLK-SDA/2025"
	start := time.Date(2025, 5, 1, 1, 0, 0, 0, time.UTC)
	h := newMoUHarness(t, start, wf.MoUState{Number: number, Kind: agreement.KindPKS, Parent: "MOU/P", PartnerCode: "LSP-LOGAM",
		Status: agreement.Active, SignedOn: dp(date(2025, 1, 2)), Signatories: []string{"Kepala BLK Sidoarjo"},
		ValidFrom: date(2025, 1, 2), ValidUntil: date(2026, 12, 31), ParentLastDay: dp(date(2026, 12, 31)),
		Scope: wf.Scope{Centres: []string{"BLK-SDA", "BLK-SBY"}}, Origin: "created"})
	h.at(start.Add(12*time.Hour), func() {
		h.env.SignalWorkflow(wf.SignalMoUParentChanged, wf.ParentChange{Parent: "MOU/OTHER", Status: agreement.Terminated, LastDay: date(2025, 5, 1)})
	})
	h.at(start.Add(day), func() {
		h.env.SignalWorkflow(wf.SignalMoUParentChanged, wf.ParentChange{Parent: "MOU/P", Status: agreement.Active,
			LastDay: date(2025, 9, 30), Centres: []string{"BLK-SDA", "BLK-PSR"}, Reason: "ADD/02"})
	})
	extend := h.updateAt(start.Add(2*day), wf.UpdateMoUAmend, wf.Amendment{Actor: coordinator, ValidUntil: dp(date(2025, 12, 31))})
	after := h.stateAt(start.Add(3 * day))
	h.at(time.Date(2025, 6, 10, 3, 0, 0, 0, time.UTC), func() {
		h.env.SignalWorkflow(wf.SignalMoUParentChanged, wf.ParentChange{Parent: "MOU/P", Status: agreement.Active,
			LastDay: date(2025, 6, 14), TerminatedOn: dp(date(2025, 6, 15)), Reason: "terminated from 2025-06-15: breach"})
	})
	h.run()

	require.NoError(t, h.err)
	extend.requireRejected(t, "a PKS may not outlive its MoU: MOU/P covers until 2025-09-30")
	require.Equal(t, date(2025, 9, 30), after.ValidUntil, "shortened with its MoU")
	require.Equal(t, []string{"BLK-SDA"}, after.Scope.Centres, "narrowed to what its MoU still covers")
	require.Equal(t, []string{
		"shortened to 2025-09-30 with its MoU MOU/P (ADD/02)",
		"centres narrowed to BLK-SDA with its MoU MOU/P",
	}, after.Flags)
	require.Equal(t, agreement.Terminated, h.result.Status)
	require.Contains(t, h.result.EndReason, "MoU MOU/P: terminated from 2025-06-15: breach")
	rows := h.rows(number)
	require.Equal(t, midnightWIB(2025, 6, 15), rows[len(rows)-1].at, "ends the day its MoU does")
	require.Empty(t, h.tells, "a PKS has no PKS to tell")
	h.requireRowsConsistent(number, 1, 1)
}

// A reminder whose webhook keeps failing is recorded as undelivered; the agreement goes on.
func TestMoUReminderWebhookFailureIsRecorded(t *testing.T) {
	start := time.Date(2025, 5, 1, 1, 0, 0, 0, time.UTC)
	h := newMoUHarness(t, start, activeMoU("MOU/W", date(2025, 6, 30)))
	h.in.Settings.ReminderDays = []int{30}
	h.reminderErr = errors.New("webhook: 503 Service Unavailable")
	h.run()
	require.NoError(t, h.err)
	require.Equal(t, agreement.Expired, h.result.Status)
	require.Len(t, h.eventsOf("MOU/W", "reminder"), 1)
	und := h.eventsOf("MOU/W", "reminder-undelivered")
	require.Len(t, und, 1)
	require.Contains(t, und[0].Detail, "503 Service Unavailable")
	require.Greater(t, len(h.reminders), 1, "the delivery was retried")
}

// Terminated early after its successor was signed: the days until the successor starts are a
// gap, flagged; the successor still takes over on its own first day.
func TestMoUTerminatedAfterRenewalFlagsTheGap(t *testing.T) {
	start := time.Date(2025, 5, 1, 1, 0, 0, 0, time.UTC)
	h := newMoUHarness(t, start, activeMoU("MOU/OLD", date(2025, 6, 30)))
	h.updateAt(start.Add(day), wf.UpdateMoURenew, wf.RenewRequest{Actor: coordinator, Successor: "MOU/NEW",
		SignedOn: date(2025, 5, 2), Signatories: []string{"Kepala BPVP Sidoarjo"}, ValidFrom: date(2025, 7, 1), ValidUntil: date(2025, 12, 31)})
	h.updateAt(start.Add(2*day), wf.UpdateMoUTerminate, wf.Termination{Actor: coordinator, Reason: "breach", On: dp(date(2025, 6, 1))})
	h.run()
	require.NoError(t, h.err)
	require.Equal(t, agreement.Terminated, h.result.Status)
	require.Equal(t, []string{"gap of 30 day(s): MOU/OLD terminated from 2025-06-01 but MOU/NEW starts on 2025-07-01; cases needing LSP-LOGAM in between will wait"}, h.result.Flags)
	var activeAt time.Time
	for _, r := range h.rows("MOU/NEW") {
		if r.in.Status == agreement.Active && activeAt.IsZero() {
			activeAt = r.at
		}
	}
	require.Equal(t, midnightWIB(2025, 7, 1), activeAt)
}

// An agreement whose workflow was lost is started again from its row: its log and versions go
// on from where they were, so nothing recorded before is overwritten or shadowed.
func TestMoURestoredFromItsRowContinuesItsLog(t *testing.T) {
	s := activeMoU("MOU/R", date(2027, 12, 31))
	s.Origin, s.Seq, s.Version = "restored", 5, 7
	h := newMoUHarness(t, time.Date(2025, 5, 1, 1, 0, 0, 0, time.UTC), s)
	h.updateAt(time.Date(2025, 5, 2, 1, 0, 0, 0, time.UTC), wf.UpdateMoUTerminate, wf.Termination{Actor: coordinator, Reason: "end the test"})
	h.run()
	require.NoError(t, h.err)
	evs := h.events("MOU/R")
	require.Equal(t, "restored", evs[0].Kind)
	require.Equal(t, "000006", evs[0].Key)
	h.requireRowsConsistent("MOU/R", 8, 6)
}
