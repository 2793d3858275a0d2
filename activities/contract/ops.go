package contract

import (
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// StuckGroup counts the stuck cases of one centre that share a reason and a party waited on:
// the unit of the daily digest (the digest maps reason and party onto who can unblock them).
type StuckGroup struct {
	CentreCode string       `json:"centre"`
	LSPCode    string       `json:"lsp"`
	Reason     vocab.Reason `json:"reason"`
	WaitingOn  vocab.Party  `json:"waiting_on"`
	Count      int          `json:"count"`
	Oldest     time.Time    `json:"oldest"`
	// OldestCase is the case stuck longest in the group, to start with.
	OldestCase string `json:"oldest_case"`
}
