package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// ClaimNumber gives a partner number to the case's person unless another person holds it
// (store.ClaimNumber). On a conflict the holder's case log says so too, so both cases name each
// other, and a KPJ from the batch exchange sends the registration back into the next file.
func (a *Activities) ClaimNumber(ctx context.Context, in contract.NumberClaimInput) (contract.NumberClaimResult, error) {
	claim := store.NumberClaim{Kind: store.NumberKind(in.Kind), Number: in.Number, NIKHash: in.NIKHash, CaseID: in.CaseID}
	holder, err := a.Store.ClaimNumber(ctx, claim)
	if err != nil {
		return contract.NumberClaimResult{}, err
	}
	if !claim.Conflicts(holder) {
		return contract.NumberClaimResult{}, nil
	}
	if in.Batch {
		if err := a.Store.ReopenBatch(ctx, in.CaseID, in.Number); err != nil {
			return contract.NumberClaimResult{}, err
		}
	}
	if err := a.noteConflict(ctx, holder, in); err != nil {
		return contract.NumberClaimResult{}, err
	}
	return contract.NumberClaimResult{HeldBy: holder.CaseID}, nil
}

// noteConflict writes to the holder's event log that its number was handed to another case too
// (once per other case: the event key names it).
func (a *Activities) noteConflict(ctx context.Context, holder store.NumberClaim, in contract.NumberClaimInput) error {
	c, err := a.Store.GetCase(ctx, holder.CaseID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // claimed from a case whose read model is not written yet: its own log will not miss it
	}
	if err != nil {
		return fmt.Errorf("note the %s conflict on case %s: %w", in.Kind, holder.CaseID, err)
	}
	what := map[string]string{contract.NumberKPJ: "KPJ", contract.NumberCertificate: "certificate number"}[in.Kind]
	return a.Store.AppendEvent(ctx, store.Event{
		CaseID: c.CaseID, Key: fmt.Sprintf("conflict-%s-%s", in.Kind, in.CaseID), Kind: "number-conflict", Stage: c.Stage,
		Detail: fmt.Sprintf("this case's %s %s was handed to case %s too; it stays with this case, case %s is held until it has its own",
			what, in.Number, in.CaseID, in.CaseID),
	})
}
