package web

import (
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
)

// uploadedFile reads the form's "file" field, a spreadsheet a person chose (the cohort, an LSP's
// results), within MaxUploadBytes; the caller has put the request body behind
// http.MaxBytesReader. what is the catalogue's code of the file's name in the message when none
// was chosen (upload.what.*). On a failure it answers through fail, in the same words for every
// upload and in the reader's language, and returns false.
func uploadedFile(r *http.Request, what string, fail func(status int, msg string)) (data []byte, name string, ok bool) {
	rd := prefsOf(r).reader(nil)
	tooBig := func() {
		fail(http.StatusRequestEntityTooLarge, rd.Tf("upload.too-big", "mb", strconv.Itoa(MaxUploadBytes>>20)))
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		var over *http.MaxBytesError
		if errors.As(err, &over) {
			tooBig()
			return nil, "", false
		}
		fail(http.StatusBadRequest, rd.Tf("upload.choose", "what", rd.T(what, nil)))
		return nil, "", false
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, MaxUploadBytes+1))
	if err != nil {
		fail(http.StatusBadRequest, rd.Tf("upload.unreadable", "error", err.Error()))
		return nil, "", false
	}
	if len(data) > MaxUploadBytes {
		tooBig()
		return nil, "", false
	}
	return data, filepath.Base(hdr.Filename), true
}
