package workflows

// RevisionAudited is the JourneyInput.Revision from which a journey keeps the numbers the
// network reports right (issue 13): placement follow-ups are counted from the later of graduation
// and the end of certification, so a certificate approved after graduation still leaves the
// graduate every follow-up window. Journeys started before it keep their ways, so their
// histories replay.
const RevisionAudited = 2

// CurrentRevision is the revision the starter gives new journeys.
const CurrentRevision = RevisionQuiet
