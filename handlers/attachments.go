package handlers

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/scrub"
	"minsheng/storage"
)

// Attachments (#13). A form that takes files is posted as multipart/form-data to one of
// fileForms; only there, and only for that encoding, is the body allowed past the usual 64 KB:
// up to fileBodyLimit, enough for MaxAttachments files of scrub.MaxBytes and the text. Every
// other route keeps its limit (BodyLimit, keepOversizeForms). The files are read into memory
// (never to a temporary file on disk: a photo may show a face), their names and declared types
// dropped unread; the handler cleans them (scrub.Clean) before the write transaction.
//
// Staff who may open the item download them (serveAttachment), an opinion's and its
// conversation's. Staff may send files with a message to the submitter, who downloads them from
// /track by posting the code (public_thread_files.go). The submitter's own files are not
// shown back on /track: the receipt code is all it takes to open that page, so anyone who
// found a code would see the photos too, and the person knows what they sent. The lobby kiosk
// takes no files (a shared tablet holds nobody's photos).

// uploadField is the form field of the files.
const uploadField = "files"

// fileBodyLimit is the largest body a file form takes: three files of 10 MB, the text and the
// multipart framing.
const fileBodyLimit = storage.MaxAttachments*scrub.MaxBytes + 1<<20

// fileForms are the routes whose multipart posts may carry files.
var fileForms = map[string]bool{"/submit": true, "/admin/transcribe": true, "/track/message": true,
	"/admin/opinions/:id/messages": true}

// uploadsKey is where readUploadForm leaves the files in the request's context.
const uploadsKey = "minsheng.uploads"

// uploads are the files a form brought, before cleaning.
type uploads struct {
	files  [][]byte // at most storage.MaxAttachments, each at most scrub.MaxBytes
	chosen int      // how many non-empty files were sent
	tooBig bool     // one was over scrub.MaxBytes, or the body over fileBodyLimit
}

// isFileUpload reports whether the request posts files to a route that takes them.
func isFileUpload(c echo.Context) bool {
	r := c.Request()
	if r.Method != http.MethodPost || !fileForms[c.Path()] {
		return false
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	return ct == echo.MIMEMultipartForm
}

// skipBodyLimit tells Echo's BodyLimit which requests are limited elsewhere: public forms
// (keepOversizeForms) and file uploads (limitUpload).
func skipBodyLimit(c echo.Context) bool { return isPublicForm(c) || isFileUpload(c) }

// uploadReadTimeout is how long a file upload may take to arrive: 30 MB over a slow phone
// connection (1 Mbit/s) take four minutes, where the server gives other requests 60 s.
const uploadReadTimeout = 5 * time.Minute

// limitUpload caps a file upload's body at fileBodyLimit (a body that says it is larger is
// dropped unread) and gives it uploadReadTimeout to arrive.
func limitUpload(c echo.Context) error {
	r := c.Request()
	if r.ContentLength > fileBodyLimit {
		return errBodyDropped
	}
	// Not every writer can (a test recorder cannot): then the server's timeout stands.
	_ = http.NewResponseController(c.Response().Writer).SetReadDeadline(time.Now().Add(uploadReadTimeout))
	r.Body = http.MaxBytesReader(c.Response(), r.Body, fileBodyLimit)
	return nil
}

// readUploadForm reads a file upload part by part: text fields into the request's form (as
// ParseMultipartForm would: the handlers bind them as usual), files into memory as uploads.
// Text over the public forms' limits is refused as theirs is (413, the form given back; or
// dropped). A file over scrub.MaxBytes is skipped and remembered, so the person is told and
// keeps their words; so is a body over fileBodyLimit, whose text read until then is kept.
func readUploadForm(c echo.Context) error {
	r := c.Request()
	mr, err := r.MultipartReader()
	if err != nil {
		return errMalformedBody
	}
	values, up, text := url.Values{}, &uploads{}, 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if overLimit(err) {
				up.tooBig = true
				break
			}
			return errMalformedBody
		}
		if part.FormName() != uploadField {
			b, err := io.ReadAll(io.LimitReader(part, int64(keptBodyLimit-text+1)))
			if err != nil {
				if overLimit(err) {
					up.tooBig = true
					break
				}
				return errMalformedBody
			}
			if text += len(part.FormName()) + len(b); text > keptBodyLimit {
				return errBodyDropped
			}
			values.Add(part.FormName(), string(b))
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, scrub.MaxBytes+1))
		if err == nil && len(data) > scrub.MaxBytes {
			_, err = io.Copy(io.Discard, part)
			up.tooBig = true
		}
		if err != nil {
			if overLimit(err) {
				up.tooBig = true
				break
			}
			return errMalformedBody
		}
		if len(data) == 0 { // a file field left empty
			continue
		}
		up.chosen++
		if len(data) <= scrub.MaxBytes && len(up.files) < storage.MaxAttachments {
			up.files = append(up.files, data)
		}
	}
	r.PostForm = values
	r.Form = url.Values{}
	for k, v := range r.URL.Query() {
		r.Form[k] = append(r.Form[k], v...)
	}
	for k, v := range values {
		r.Form[k] = append(r.Form[k], v...)
	}
	r.MultipartForm = &multipart.Form{Value: values, File: map[string][]*multipart.FileHeader{}}
	c.Set(uploadsKey, up)
	if text > bodyLimitBytes {
		return echo.ErrStatusRequestEntityTooLarge
	}
	return nil
}

// overLimit reports whether err is the body going past its limit.
func overLimit(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// uploadsOf returns the files the request brought (nil for a request without).
func uploadsOf(c echo.Context) *uploads {
	up, _ := c.Get(uploadsKey).(*uploads)
	return up
}

// dropped reports whether files were chosen (and, the form coming back, not kept).
func (up *uploads) dropped() bool { return up != nil && up.chosen > 0 }

// problem says, as a catalog message, what is wrong with the files before any is decoded:
// too many, too big. The zero Message when nothing is.
func (up *uploads) problem() locale.Message {
	switch {
	case up == nil:
		return locale.Message{}
	case up.tooBig:
		return locale.M(scrub.ErrTooBig.Key)
	case up.chosen > storage.MaxAttachments:
		return locale.M("attachments.err_too_many")
	}
	return locale.Message{}
}

// clean cleans every file (scrub.Clean): the files to keep, or the message of the first
// refused one.
func (up *uploads) clean() ([]storage.NewAttachment, locale.Message) {
	if up == nil {
		return nil, locale.Message{}
	}
	out := make([]storage.NewAttachment, 0, len(up.files))
	for _, data := range up.files {
		clean, kind, err := scrub.Clean(data)
		var refusal *scrub.Error
		if errors.As(err, &refusal) {
			return nil, locale.M(refusal.Key)
		}
		if err != nil {
			return nil, locale.M(scrub.ErrBroken.Key)
		}
		out = append(out, storage.NewAttachment{Kind: kind, Data: clean})
	}
	return out, locale.Message{}
}

// serveAttachment handles GET /admin/opinions/{id}/files/{file}: one file of an opinion the
// staff member may open (itemAccess), as a download of a safe type that no browser sniffs
// into another, with no name from the person who sent it; the reading is audited.
func (s *Server) serveAttachment(c echo.Context) error {
	u, _ := staffUser(c)
	a, data, err := s.store.AttachmentData(c.Request().Context(), u.ID, c.Param("id"), c.Param("file"))
	if err != nil {
		return err
	}
	return sendFile(c, a, data)
}

// sendFile answers with a kept file as a download of a safe type that no browser sniffs into
// another, under a name of ours, never kept in a cache.
func sendFile(c echo.Context, a storage.Attachment, data []byte) error {
	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", `attachment; filename="`+attachmentName(a)+`"`)
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return c.Blob(http.StatusOK, scrub.ContentType(a.Kind), data)
}

// attachmentName is the name a downloaded file is saved under: the opinion and the file's
// own random id, never anything the sender chose.
func attachmentName(a storage.Attachment) string {
	ext := map[string]string{scrub.KindJPEG: ".jpg", scrub.KindPNG: ".png", scrub.KindPDF: ".pdf"}[a.Kind]
	return a.OpinionID + "-" + a.ID[:8] + ext
}

// fileView is one attachment as the item page lists it: its kind and size in words, and the
// address to download it.
type fileView struct{ ID, Kind, Size string }

// kindKeys are the words of each kind of file.
var kindKeys = map[string]string{
	scrub.KindJPEG: "attachments.kind_jpeg",
	scrub.KindPNG:  "attachments.kind_png",
	scrub.KindPDF:  "attachments.kind_pdf",
}

// fileViews lists the attachments of the opinion id in the reader's words.
func (s *Server) fileViews(c echo.Context, id string) ([]fileView, error) {
	files, err := s.store.Attachments(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	return fileViewsOf(s.printer(c), files), nil
}

// fileViewsOf words files in p's language.
func fileViewsOf(p *locale.Printer, files []storage.Attachment) []fileView {
	out := make([]fileView, len(files))
	for i, a := range files {
		out[i] = fileView{ID: a.ID, Kind: p.T(kindKeys[a.Kind]), Size: p.T("attachments.size_kb", (a.Size+1023)/1024)}
	}
	return out
}
