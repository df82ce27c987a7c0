package export

import (
	"io"

	"minsheng/locale"
	"minsheng/storage"
)

// The tests written before the files spoke the reader's language write them in the default
// language, zh-CN, through these: the files of a staff member who has not chosen a language.

var zh = In(locale.Get(locale.Default))

// dataSheet is the name of the opinions sheet in zh-CN, 意见.
var dataSheet = zh.p.T("export.sheet_opinions")

// dateFormat is how a zh-CN workbook shows a date.
var dateFormat = zh.p.T("export.xlsx_date_format")

func NewCSV(w io.Writer) (*CSV, error) { return zh.NewCSV(w) }

func NewXLSX(w io.Writer, omitted string) (*XLSX, error) { return zh.NewXLSX(w, omitted) }

func WriteLedgers(w io.Writer, rows []storage.LedgerRow) error { return zh.WriteLedgers(w, rows) }

func WriteEvaluation(w io.Writer, sum storage.EvaluationSummary) error {
	return zh.WriteEvaluation(w, sum)
}
