package api

import (
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// revokedReasonSep separates the certificate from the reason in a certificate-revoked event's
// detail ("certificate N revoked; reason: R", revokeCertificate).
const revokedReasonSep = " revoked; reason: "

// Revocation is a case's certificate revocation as its timeline records it: when, by whom, why.
type Revocation struct {
	At        time.Time
	ActorID   string
	Reason    string
	Number    string
	ActorRole string
}

// RevocationIn finds the revocation of a case's certificate in its timeline (the latest
// certificate-revoked event); nil when the certificate was never revoked. The pages show it on
// the case page and on the printable summary.
func RevocationIn(events []store.Event) *Revocation {
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if e.Kind != EventCertificateRevoked {
			continue
		}
		r := &Revocation{At: e.At, ActorID: e.ActorID, ActorRole: string(e.ActorRole), Reason: e.Detail}
		if before, reason, ok := strings.Cut(e.Detail, revokedReasonSep); ok {
			r.Number, r.Reason = strings.TrimPrefix(before, "certificate "), reason
		}
		return r
	}
	return nil
}
