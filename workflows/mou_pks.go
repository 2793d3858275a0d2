package workflows

import (
	"fmt"
	"slices"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
)

// drainParent applies every change its MoU sent to this PKS. Call it with the lock held.
func (w *mou) drainParent(ctx workflow.Context) {
	for {
		var c ParentChange
		if !w.parentCh.ReceiveAsync(&c) {
			return
		}
		w.applyParent(ctx, c)
	}
}

// applyParent keeps a PKS inside its MoU: it ends with the MoU (terminated or ended), is
// shortened (and flagged) when the MoU now ends before it, and loses the centres and schemes
// the MoU no longer covers. A PKS left with no centre or scheme ends the same day.
func (w *mou) applyParent(ctx workflow.Context, c ParentChange) {
	s := &w.state
	if s.Kind != agreement.KindPKS || c.Parent != s.Parent || !w.live() {
		return
	}
	last := dateOf(c.LastDay)
	s.ParentLastDay = &last
	var events []eventSpec
	endWith := func(on, reason string) {
		first := last.AddDate(0, 0, 1)
		if s.TerminatedOn == nil || first.Before(*s.TerminatedOn) {
			s.TerminatedOn = &first
			s.EndReason = reason
			events = append(events, ev("termination", "ends with "+s.Parent+" from "+on+": "+reason))
		}
	}
	parentEnded := c.Status == agreement.Expired || c.Status == agreement.Renewed || c.Status == agreement.Terminated
	if parentEnded || last.Before(w.lastDay()) {
		switch {
		case parentEnded || c.TerminatedOn != nil || last.Before(s.ValidFrom):
			endWith(last.AddDate(0, 0, 1).Format("2006-01-02"), "MoU "+s.Parent+": "+c.Reason)
		default:
			flag := fmt.Sprintf("shortened to %s with its MoU %s (%s)", last.Format("2006-01-02"), s.Parent, c.Reason)
			s.ValidUntil = last
			s.Flags = append(s.Flags, flag)
			events = append(events, ev("shortened", flag))
		}
		w.reconcileReminders(workflow.Now(ctx))
	}
	narrow := func(name string, own *[]string, parent []string) {
		if len(parent) == 0 {
			return
		}
		kept := parent
		if len(*own) > 0 {
			kept = nil
			for _, x := range *own {
				if slices.Contains(parent, x) {
					kept = append(kept, x)
				}
			}
		}
		if slices.Equal(kept, *own) {
			return
		}
		if len(kept) == 0 {
			today := w.today(ctx)
			if s.TerminatedOn == nil || today.Before(*s.TerminatedOn) {
				s.TerminatedOn = &today
				s.EndReason = "its MoU " + s.Parent + " no longer covers its " + name
				events = append(events, ev("termination", s.EndReason))
			}
			return
		}
		flag := fmt.Sprintf("%s narrowed to %s with its MoU %s", name, listText(kept), s.Parent)
		s.Flags = append(s.Flags, flag)
		events = append(events, ev("narrowed", flag))
		*own = slices.Clone(kept)
	}
	narrow("centres", &s.Scope.Centres, c.Centres)
	narrow("schemes", &s.Scope.Schemes, c.Schemes)
	if len(events) > 0 {
		w.commit(ctx, events...)
	}
	w.changed = true
}
