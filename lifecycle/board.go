package lifecycle

import (
	"minsheng/locale"
	"minsheng/vocab"
)

// boardWords are the notice board's words for each status: said of the work to any reader,
// unlike Public, which speaks to the person who wrote ("请您评价…"), and unlike the staff
// labels (待梳理, 回头看, 满意度回访, 已销号…), which are the office's own procedure.
var boardWords = vocab.List("status_board.received", "status_board.triaged", "status_board.assigned",
	"status_board.rectifying", "status_board.reported", "status_board.lookback",
	"status_board.satisfaction", "status_board.closed", "status_board.rejected",
	"status_board.duplicate", "status_board.forwarded")

// BoardIn returns the public notice board's words for a status code in the printer's
// language, or the submitter's words for a status it does not know.
func BoardIn(p *locale.Printer, code string) string {
	for _, t := range boardWords {
		if t.Code == code {
			return t.In(p)
		}
	}
	return find(code).PublicIn(p)
}
