package workflows

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/notify"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// DigestWorkflowName is the daily digest's workflow type; a Temporal Schedule starts it.
const DigestWorkflowName = "DailyDigest"

// DigestInput configures one digest.
type DigestInput struct {
	// Timezone words the dates (the centres' time zone).
	Timezone string `json:"timezone,omitempty"`
	// Language is the digest's language ("id", the default, or "en"); its words come from the
	// message catalogue (package i18n).
	Language string `json:"language,omitempty"`
}

// DigestLine counts the stuck cases of one centre that one role can unblock.
type DigestLine struct {
	Centre     string               `json:"centre"`
	Role       vocab.Role           `json:"role"`
	Scope      string               `json:"scope,omitempty"`
	Count      int                  `json:"count"`
	Oldest     time.Time            `json:"oldest"`
	OldestCase string               `json:"oldest_case"`
	Reasons    map[vocab.Reason]int `json:"reasons"`
}

// Digest is the day's stuck cases per centre and role.
type Digest struct {
	At    time.Time    `json:"at"`
	Total int          `json:"total"`
	Lines []DigestLine `json:"lines"`
	Text  string       `json:"text"`
}

// DailyDigest counts the stuck cases per centre and per role that can unblock them, and sends
// the digest to the log and the webhook.
func DailyDigest(ctx workflow.Context, in DigestInput) (Digest, error) {
	var groups []contract.StuckGroup
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute, ScheduleToCloseTimeout: time.Hour})
	if err := contract.CountStuckGroups.Execute(actx, contract.None{}).Get(ctx, &groups); err != nil {
		return Digest{}, fmt.Errorf("count stuck cases: %w", err)
	}
	now := workflow.Now(ctx)
	d := BuildDigest(groups, now, in.Timezone, i18n.Parse(in.Language))
	msg := notify.Message{Kind: "digest", Text: d.Text, At: now, Data: d}
	if err := contract.SendNotification.Execute(opsNotifyCall(ctx, 6*time.Hour), msg).Get(ctx, nil); err != nil {
		return d, fmt.Errorf("send the digest: %w", err)
	}
	return d, nil
}

// BuildDigest groups stuck cases by centre and by the role that can unblock them, and words it
// in lang. It is deterministic (workflow code): same groups and time, same digest.
func BuildDigest(groups []contract.StuckGroup, now time.Time, timezone string, lang i18n.Lang) Digest {
	d := Digest{At: now}
	type key struct {
		centre string
		role   vocab.Role
		scope  string
	}
	byKey := map[key]*DigestLine{}
	var keys []key
	for _, g := range groups {
		u := WhoUnblocks(g.Reason, g.WaitingOn, g.CentreCode, g.LSPCode)
		k := key{g.CentreCode, u.Role, u.Scope}
		l := byKey[k]
		if l == nil {
			l = &DigestLine{Centre: g.CentreCode, Role: u.Role, Scope: u.Scope, Reasons: map[vocab.Reason]int{}}
			byKey[k] = l
			keys = append(keys, k)
		}
		l.Count += g.Count
		l.Reasons[g.Reason] += g.Count
		if l.OldestCase == "" || g.Oldest.Before(l.Oldest) {
			l.Oldest, l.OldestCase = g.Oldest, g.OldestCase
		}
		d.Total += g.Count
	}
	for _, k := range keys {
		d.Lines = append(d.Lines, *byKey[k])
	}
	slices.SortFunc(d.Lines, func(a, b DigestLine) int {
		return cmp.Or(cmp.Compare(a.Centre, b.Centre), cmp.Compare(b.Count, a.Count), cmp.Compare(a.Role, b.Role), cmp.Compare(a.Scope, b.Scope))
	})
	d.Text = digestText(d, i18n.For(lang, zoneOrUTC(timezone)))
	return d
}

func digestText(d Digest, rd i18n.Reader) string {
	var b strings.Builder
	centres := map[string]bool{}
	for _, l := range d.Lines {
		centres[l.Centre] = true
	}
	b.WriteString(rd.Tf("digest.title", "day", d.At.In(rd.Loc).Format("2006-01-02"), "total", strconv.Itoa(d.Total)))
	if d.Total == 0 {
		b.WriteString(". " + rd.T("digest.none", nil))
		return b.String()
	}
	b.WriteString(" " + rd.Tf("digest.centres", "n", strconv.Itoa(len(centres))))
	for _, l := range d.Lines {
		who := rd.Label("role", string(l.Role))
		if l.Scope != "" && l.Scope != l.Centre {
			who += " " + l.Scope
		}
		reasons := make([]string, 0, len(l.Reasons))
		// The map's order never shows: the reasons are sorted right below.
		//workflowcheck:ignore
		for r, n := range l.Reasons {
			reasons = append(reasons, fmt.Sprintf("%s %d", rd.Label("reason", string(r)), n))
		}
		slices.Sort(reasons)
		b.WriteString("\n- " + rd.Tf("digest.line", "centre", l.Centre, "who", who, "count", strconv.Itoa(l.Count),
			"reasons", strings.Join(reasons, ", "), "case", l.OldestCase, "since", l.Oldest.In(rd.Loc).Format("2006-01-02 15:04"),
			"age", rd.Duration(d.At.Sub(l.Oldest))))
	}
	return b.String()
}
