package api

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// batchWait words why a retry cannot help a case whose registration waits in the BPJS batch
// exchange: no call is failing; the BPJS liaison's file exchange with the branch office moves it
// on. It returns "" for any other case; the words are the same in the catalogue's. Journeys before RevisionAudited show such a case as
// waiting on BPJS, so the registration table is asked too.
func (s *Server) batchWait(ctx context.Context, c store.Case) (string, words, error) {
	if c.Stage != vocab.StageInsurance {
		return "", words{}, nil
	}
	reg, err := s.Store.BatchRegistrationOf(ctx, c.CaseID)
	if errors.Is(err, store.ErrNotFound) {
		if c.WaitingOn != vocab.WaitingBatchFile {
			return "", words{}, nil
		}
	} else if err != nil {
		return "", words{}, err
	} else if reg.KPJ != "" && c.WaitingOn != vocab.WaitingBatchFile {
		return "", words{}, nil // the KPJ is in; the journey is moving on
	}
	msg := fmt.Sprintf("nothing to retry: case %s calls nobody, it waits for the BPJS batch file — the BPJS liaison should %s", c.CaseID, workflows.BatchFileAction)
	last, err := s.Store.LastExportOf(ctx, c.CaseID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		msg += "; its registration has not gone out in a file yet"
		return msg, say("api.waits-batch-file", "case", c.CaseID), nil
	case err != nil:
		return "", words{}, err
	}
	at := last.TakenAt.In(s.Svc.Location()).Format("2006-01-02 15:04")
	msg += fmt.Sprintf("; its registration last went out in file %d, taken by %s on %s", last.ID, last.TakenBy, at)
	return msg, say("api.waits-batch-file-sent", "case", c.CaseID, "file", strconv.FormatInt(int64(last.ID), 10), "by", last.TakenBy, "at", at), nil
}
