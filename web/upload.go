package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
)

// uploadedFile reads the form's "file" field, a spreadsheet a person chose (the cohort, an LSP's
// results), within MaxUploadBytes; the caller has put the request body behind
// http.MaxBytesReader. what names the file in the message when none was chosen. On a failure it
// answers through fail, in the same words for every upload, and returns false.
func uploadedFile(r *http.Request, what string, fail func(status int, msg string)) (data []byte, name string, ok bool) {
	tooBig := func() {
		fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("the file is over %d MB; split it", MaxUploadBytes>>20))
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		var over *http.MaxBytesError
		if errors.As(err, &over) {
			tooBig()
			return nil, "", false
		}
		fail(http.StatusBadRequest, "choose "+what+" (CSV or XLSX) to upload")
		return nil, "", false
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, MaxUploadBytes+1))
	if err != nil {
		fail(http.StatusBadRequest, "read the uploaded file: "+err.Error())
		return nil, "", false
	}
	if len(data) > MaxUploadBytes {
		tooBig()
		return nil, "", false
	}
	return data, filepath.Base(hdr.Filename), true
}
