package activities

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/messaging"
)

// Messenger is how the trainees' messages go out (messaging.*).
type Messenger struct {
	// Sender is the provider's adapter; nil records every message skipped ("no channel").
	Sender messaging.Sender
	// Links makes the follow-ups' self-report links; nil sends follow-ups without one.
	Links messaging.LinkIssuer
	// Location words dates as the trainee reads them (journey.timezone).
	Location *time.Location
}

// SendMessage sends the message of one milestone to a case's trainee, at most once per case
// and milestone however often it is retried:
//
//   - a message already sent (its row says sent, delivered or read, a status webhook included)
//     or decided against (skipped) returns at once;
//   - before the provider is called the row says "sending", and only its answer makes it
//     "sent": an attempt that fails before the provider took the message leaves it "failed",
//     and the retry sends it;
//   - the key goes to the provider too: the SMS gateway dedupes on it (Idempotency-Key), so
//     even an answer lost after the gateway took the message sends nothing twice. The WhatsApp
//     Cloud API has no such key; it echoes it in the status webhook (biz_opaque_callback_data),
//     so a retry after a lost answer sends again only if no status for the key has arrived by
//     then. That window (a lost answer and no webhook yet) is the one way a WhatsApp message
//     can go twice.
//
// The phone number and name are read here and go to the provider only: they are in no log,
// error or result.
func (a *Activities) SendMessage(ctx context.Context, in contract.MessageInput) (contract.MessageResult, error) {
	m := messaging.Milestone(in.Milestone)
	key := messaging.Key(in.CaseID, m)
	channel := messaging.ChannelNone
	if a.Messages != nil && a.Messages.Sender != nil {
		channel = a.Messages.Sender.Channel()
	}
	before, err := a.Store.MessageBefore(ctx, key, in.NIKHash)
	if err != nil {
		return contract.MessageResult{}, err
	}
	if prev := before.Prev; prev != nil && prev.Done() {
		return contract.MessageResult{Status: prev.Status, Channel: prev.Channel}, nil
	}
	skip := func(why string) (contract.MessageResult, error) {
		if err := a.Store.SkipMessage(ctx, key, in.CaseID, in.Milestone, channel, why); err != nil {
			return contract.MessageResult{}, err
		}
		return contract.MessageResult{Status: messaging.StatusSkipped, Channel: channel}, nil
	}
	rcpt := before.Recipient
	if rcpt == nil {
		return skip("no participant record")
	}
	if !rcpt.Consent {
		return skip("no consent to messages")
	}
	to, ok := messaging.International(rcpt.Phone)
	if !ok {
		return skip("no mobile number")
	}
	if channel == messaging.ChannelNone {
		return skip("no channel configured")
	}
	data, err := a.messageData(ctx, in, rcpt.Name)
	if err != nil {
		return contract.MessageResult{}, err
	}
	msg, err := messaging.Render(m, data)
	if err != nil {
		return contract.MessageResult{}, temporal.NewNonRetryableApplicationError(err.Error(), contract.ErrTypeMessageRejected, err)
	}
	was, err := a.Store.BeginSend(ctx, key, in.CaseID, in.Milestone, channel)
	if err != nil {
		return contract.MessageResult{}, err
	}
	if was.Done() { // a status webhook came between the read above and now
		return contract.MessageResult{Status: was.Status, Channel: was.Channel}, nil
	}
	receipt, err := a.Messages.Sender.Send(ctx, messaging.Outgoing{To: to, IdempotencyKey: key, Message: msg})
	if err != nil {
		if ferr := a.Store.MarkFailed(ctx, key, err.Error()); ferr != nil {
			a.log(ctx).Warn("message failure not recorded", "case", in.CaseID, "milestone", in.Milestone, "error", ferr)
		}
		if messaging.IsRejected(err) {
			return contract.MessageResult{}, temporal.NewNonRetryableApplicationError(err.Error(), contract.ErrTypeMessageRejected, err)
		}
		a.log(ctx).Warn("message not sent", "case", in.CaseID, "milestone", in.Milestone, "channel", channel, "error", err)
		return contract.MessageResult{}, fmt.Errorf("send %s message of case %s: %w", in.Milestone, in.CaseID, err)
	}
	if err := a.Store.MarkSent(ctx, key, receipt.ProviderID, time.Now()); err != nil {
		// The provider has it; a retry finds the row "sending" and, for WhatsApp, may send again
		// (see above). Retrying the write is the better bet.
		return contract.MessageResult{}, err
	}
	a.log(ctx).Info("message sent", "case", in.CaseID, "milestone", in.Milestone, "channel", channel)
	return contract.MessageResult{Status: messaging.StatusSent, Channel: channel}, nil
}

// messageData words what the message says; name is the trainee's, read from the store.
func (a *Activities) messageData(ctx context.Context, in contract.MessageInput, name string) (messaging.Data, error) {
	loc := a.Messages.Location
	if loc == nil {
		loc = time.UTC
	}
	d := messaging.Data{Name: messaging.FirstName(name), KPJ: in.KPJ, Certificate: in.Certificate, Package: in.PackageCode}
	if pkg, err := a.Store.GetPackage(ctx, in.PackageCode); err == nil && pkg.Trade != "" {
		d.Package = pkg.Trade + " (" + pkg.Code + ")"
	}
	d.Place = in.Place
	if d.Place == "" {
		d.Place = in.CentreCode
		if c, err := a.Store.GetCentre(ctx, in.CentreCode); err == nil && c.Name != "" {
			d.Place = c.Name
		}
	}
	if !in.Start.IsZero() {
		d.Start, d.End = messaging.Day(in.Start.In(loc)), messaging.Day(in.End.In(loc))
	}
	if !in.When.IsZero() {
		d.Date = messaging.DayTime(in.When.In(loc))
	}
	if in.Month > 0 {
		d.Month = strconv.Itoa(in.Month)
		if a.Messages.Links != nil && messaging.Milestone(in.Milestone) == messaging.FollowUp(in.Month) ||
			a.Messages.Links != nil && messaging.Milestone(in.Milestone) == messaging.Reminder(in.Month) {
			link, err := a.Messages.Links.FollowUpLink(ctx, in.CaseID, in.Month)
			if err != nil {
				return d, fmt.Errorf("self-report link of case %s: %w", in.CaseID, err)
			}
			d.Link = link
		}
	}
	return d, nil
}
