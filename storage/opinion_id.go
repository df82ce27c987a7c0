package storage

import (
	"crypto/rand"
	"time"
)

// An opinion's id (#11, the write path): the day it arrived, then random symbols.
//
//	9KD  7Q2M9XDH
//	day  40 random bits
//
// The first three Crockford base-32 symbols are the day (created_on) as days since 1 January
// 2000, so they sort as the days do (until 17 September 2089); the other eight are random. The table is
// stored in the order of its key (WITHOUT ROWID), so one day's opinions now sit together at the
// end of it instead of each at a random place among all the earlier ones: a batch of today's
// submissions changes today's few pages of the table, not one page of it per opinion (and the
// pointer-map pages of those pages): docs/benchmarks.md, BenchmarkWALPagesPerOpinion.
//
// What the id tells, and why that keeps the anonymity promise (security plan, §1 M7 and the
// coarse-time rule: the day only, never the order of arrival):
//   - The day, and nothing finer: created_on is stored in the same row, and every page, file
//     and log that shows an opinion's id shows its day beside it (ids are for staff; no public
//     page shows one). A transcribed item's id carries the day it was typed, which is its
//     created_on too.
//   - Within a day, nothing: the rest is random, drawn afresh for each opinion, so the order
//     of one day's ids (and of the rows in the file) is a random order, not the order in which
//     they came. That is exactly how opinions_by_day (created_on, id) has always stored every
//     opinion, so the file keeps nothing it did not keep before.
//     TestOpinionsKeepNoArrivalOrder checks it on the stored table.
//   - No counter, clock or sequence: two ids of the same day are as unrelated as two ids were.
//
// 40 random bits a day, not the old ids' 50: an id is a reference staff type and read, never a
// secret (every staff route checks the viewer's scope; the receipt code, kept only as a hash,
// is what a submitter holds), and a draw that meets an existing id is drawn again (insert).
//
// Ids made before this are ten random symbols (newOpinionID) and stay valid everywhere: every
// place that takes an id takes any short run of letters and digits, and an old id (ten
// symbols) can never equal a new one (eleven).
const (
	idDaySymbols  = 3
	idRandSymbols = 8
)

// idEpoch is day 0 of an id's day symbols.
var idEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newDayOpinionID returns a new opinion id for an opinion that arrived on day (YYYY-MM-DD). A
// day it cannot write (not a date, or outside 2000–2089) gets an id of random symbols alone.
func newDayOpinionID(day string) string {
	d, err := time.Parse(dateLayout, day)
	n := int(d.Sub(idEpoch).Hours() / 24)
	if err != nil || n < 0 || n >= 1<<(5*idDaySymbols) {
		return newOpinionID()
	}
	var b [idDaySymbols + idRandSymbols]byte
	for i := idDaySymbols - 1; i >= 0; i-- {
		b[i] = crockford[n&31]
		n >>= 5
	}
	_, _ = rand.Read(b[idDaySymbols:])
	for i := idDaySymbols; i < len(b); i++ {
		b[i] = crockford[b[i]&31]
	}
	return string(b[:])
}

// opinionIDDay returns the day a new-style id (newDayOpinionID) carries, and false for any
// other id (the older ids of random symbols alone, or anything else).
func opinionIDDay(id string) (string, bool) {
	if len(id) != idDaySymbols+idRandSymbols {
		return "", false
	}
	n := 0
	for i := 0; i < len(id); i++ {
		v := indexCrockford(id[i])
		if v < 0 {
			return "", false
		}
		if i < idDaySymbols {
			n = n<<5 | v
		}
	}
	return idEpoch.AddDate(0, 0, n).Format(dateLayout), true
}

func indexCrockford(c byte) int {
	for i := 0; i < len(crockford); i++ {
		if crockford[i] == c {
			return i
		}
	}
	return -1
}
