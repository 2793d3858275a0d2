package messaging

import "context"

// LinkIssuer makes the self-report link a follow-up message carries (signed, single-use,
// expiring; built by the self-report package). When none is wired, follow-up messages go
// without a link and say that the centre will call.
type LinkIssuer interface {
	FollowUpLink(ctx context.Context, caseID string, month int) (string, error)
}
