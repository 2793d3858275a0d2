// Package agreement names the kinds of the network's agreements and the statuses an agreement
// goes through, from draft to its end. The MoU workflow (package workflows) runs that lifecycle;
// the store keeps the status as a string column and the pages and the API show it, so the names
// live here, below all of them.
package agreement

// Agreement kinds.
const (
	// KindMoU is a memorandum of understanding between the coordinator and a partner.
	KindMoU = "mou"
	// KindPKS is an implementing agreement (perjanjian kerja sama) under an MoU, usually with
	// one or a few centres; it may never outlive its MoU.
	KindPKS = "pks"
)

// Agreement statuses, in the order an agreement usually goes through them. Draft, Signed,
// Active and Expiring are live; Expired, Renewed and Terminated are ends.
const (
	// Draft is being negotiated; it covers nothing yet.
	Draft = "draft"
	// Signed is signed but its validity has not started yet; it covers nothing yet.
	Signed = "signed"
	// Active covers cases within its validity window and scope.
	Active = "active"
	// Expiring is active and inside its first reminder window before the end.
	Expiring = "expiring"
	// Expired has passed its validity window with no successor.
	Expired = "expired"
	// Renewed ended at its end date with a successor taking over.
	Renewed = "renewed"
	// Terminated was ended early by either party.
	Terminated = "terminated"
)

// Live reports whether an agreement with this status covers or will cover something: it has
// not ended.
func Live(status string) bool {
	switch status {
	case Draft, Signed, Active, Expiring:
		return true
	}
	return false
}
