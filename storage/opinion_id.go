package storage

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
)

// An opinion's id (#11, the write path): a code of the day it arrived, then random symbols.
//
//	Q3F  7Q2M9XDH
//	day  40 random bits
//
// The first three Crockford base-32 symbols are the same for every opinion of one day (its
// created_on): 15 bits of an HMAC of the day under a key derived from the server's key file
// (Options.LoginKey, which already keys the receipt hashes). The other eight are random. The
// table is stored in the order of its key (WITHOUT ROWID), so one day's opinions now sit
// together in one place of it instead of each at a random place among all the earlier ones: a
// batch of the day's submissions changes that day's few pages of the table, not a page of it
// per opinion, and far fewer pointer-map pages (docs/benchmarks.md,
// BenchmarkWALPagesPerOpinion).
//
// What the id tells, and why that keeps the anonymity promise (security plan: the day only,
// never the order of arrival; no ULID/UUIDv7-like ids that encode time):
//   - Not the day. The code is keyed: without the server's key file the three symbols are a
//     meaningless draw, and days do not sort by them (a new day's opinions go to a random
//     place of the table, not to its end). That matters because an id travels where its
//     created_on does not: the links of notification e-mails and of the units' group robots
//     (WeCom, DingTalk), addresses in a browser's history or a proxy's log. Someone who holds
//     the key file holds the database too, where created_on is stored anyway.
//   - Which ids share a day: two opinions of the same day have the same first three symbols.
//     That is all an id says beyond what a random one said, and no more than the pages that
//     show ids already show (every list of opinions shows the day beside the id). Two different
//     days share a code once in 32 768 pairs, which only puts them in the same place.
//   - Within a day, nothing: the rest is random, drawn afresh for each opinion, so the order of
//     a day's ids (and of its rows in the file) is a random order, not the order in which they
//     came: exactly how opinions_by_day (created_on, id) has always kept them, so the file
//     keeps nothing it did not keep before. TestOpinionsKeepNoArrivalOrder checks the table.
//   - No counter, clock or sequence: a transcribed item's id carries the code of the day it
//     was typed, which is its created_on.
//
// 40 random bits within a day, not the old ids' 50: an id is a reference staff type and read,
// never a secret (every staff route checks the viewer's scope; what a submitter holds is the
// receipt code, kept only as a hash), and a draw that meets an existing id is drawn again.
//
// Ids made before this are ten random symbols (newOpinionID) and stay valid everywhere: every
// place that takes an id takes any short run of letters and digits, and an old id (ten
// symbols) never equals a new one (eleven).
const (
	idDaySymbols  = 3
	idRandSymbols = 8
)

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// idDayKey derives the key of the ids' day codes from the server's key.
func idDayKey(serverKey []byte) []byte {
	m := hmac.New(sha256.New, serverKey)
	m.Write([]byte("minsheng opinion id day v1"))
	return m.Sum(nil)
}

// idDayCode returns the three symbols every id of day (YYYY-MM-DD) begins with under key.
func idDayCode(key []byte, day string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(day))
	n := binary.BigEndian.Uint16(m.Sum(nil)) >> 1 // 15 bits
	var b [idDaySymbols]byte
	for i := idDaySymbols - 1; i >= 0; i-- {
		b[i] = crockford[n&31]
		n >>= 5
	}
	return string(b[:])
}

// newDayOpinionID returns a new opinion id: dayCode (idDayCode), then eight random symbols.
func newDayOpinionID(dayCode string) string {
	var b [idDaySymbols + idRandSymbols]byte
	copy(b[:], dayCode)
	_, _ = rand.Read(b[idDaySymbols:])
	for i := idDaySymbols; i < len(b); i++ {
		b[i] = crockford[b[i]&31]
	}
	return string(b[:])
}
