package storage

import (
	"context"
	"database/sql"
	"fmt"

	"minsheng/vocab"
)

// The plain public submission in ONE statement per batch, on PostgreSQL (#15). There each row
// of the per-row path (opinionInserter.insert) is three round trips on the one serial writer
// connection — SAVEPOINT, INSERT, RELEASE — about a millisecond a row, which capped the writer
// near a thousand submissions a second whatever the disk allowed. SQLite runs in the process:
// a row there costs microseconds, so it keeps the per-row path (insertsOpinionsAtOnce).

// insertsOpinionsAtOnce reports whether a batch's plain opinions are inserted with one
// statement (insertOpinionsAtOnce) rather than one each.
func (d postgresDriver) insertsOpinionsAtOnce() bool { return true }
func (d sqliteDriver) insertsOpinionsAtOnce() bool   { return false }

// plainSubmission reports whether n needs nothing but its row: no files, answers, audit,
// draft link or supervisor link, which are written per row after the opinion's id is known.
func plainSubmission(n NewOpinion) bool {
	return n.TranscribedBy == 0 && len(n.Files) == 0 && len(n.Answers) == 0 &&
		n.PlanID == 0 && n.Consultation == 0 && n.MonitorID == 0
}

// insertOpinionsAtOnce is the per-row INSERT's statement over arrays: the same columns, the
// same checks of unit, mailbox and site in the statement itself; RETURNING says which rows went
// in (a row of a retired or unknown unit, mailbox or site is not stored and takes the per-row
// path, which says why).
//
// It has no ON CONFLICT clause, on purpose (twelfth sitting, docs/benchmarks.md): ON CONFLICT
// makes every row a speculative insertion — a look-up in each unique index (the primary key, the
// receipt hash) before the row goes in, the same B-tree descents again to insert it, and one
// more WAL record to confirm it — about a tenth of the server's CPU per row, paid on every
// submission for a case that does not happen: the receipt code is drawn at random by the portal
// and the id's 40 random bits collide once in two million days. When it does happen (a receipt
// already stored, one given twice in a batch, an id drawn twice), the statement fails on the
// unique index, its savepoint undoes it, and the per-row path stores the batch's rows one by one
// and refuses only the duplicate (ErrConflict) or draws the id again.
const insertOpinionsAtOnce = `
	INSERT INTO opinions (id, receipt_hash, type, unit_code, dept, submitter, content, contact, about_leadership, created_on,
	                      channel, received_on, site, mailbox_code, site_code, search_text, campaign_id,
	                      segment, target_kind, target_post, target_badge)
	SELECT v.id, v.receipt_hash, v.type, u.code, v.dept, v.submitter, v.content, v.contact, v.about_leadership, ?,
	       v.channel, v.received_on, v.site, v.mailbox_code, v.site_code, v.search_text, v.campaign_id,
	       v.segment, v.target_kind, v.target_post, v.target_badge
	FROM unnest(CAST(? AS text[]), CAST(? AS bytea[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
	            CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS text[]),
	            CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
	            CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
	  AS v(id, receipt_hash, type, unit_code, dept, submitter, content, contact, about_leadership, channel,
	       received_on, site, mailbox_code, site_code, search_text, campaign_id, segment, target_kind, target_post, target_badge)
	JOIN units u ON u.code = v.unit_code AND u.active = 1
	WHERE (v.mailbox_code = '' OR EXISTS (SELECT 1 FROM mailboxes m WHERE m.code = v.mailbox_code AND m.active = 1))
	  AND (v.site_code = '' OR EXISTS (SELECT 1 FROM sites t WHERE t.code = v.site_code))
	RETURNING id`

// atOnce is one plain submission of a batch for insertMany: its place in the batch and what
// the per-row insert would be given.
type atOnce struct {
	index      int
	opinion    NewOpinion
	hash       []byte
	search     string
	campaignID int64
}

// insertMany inserts rows with one statement inside a savepoint and returns the ids of those
// stored, by their index. A row it did not store (a retired or unknown unit) is left for the
// per-row path, which says why; if the statement fails (a CHECK refused one row, a receipt
// already stored, an id drawn twice), the savepoint undoes it and every row is left for the
// per-row path: one bad submission still fails alone.
func (ins *opinionInserter) insertMany(ctx context.Context, rows []atOnce) (map[int]string, error) {
	n := len(rows)
	ids := make([]string, n)
	hashes := make([][]byte, n)
	types, units, depts, submitters := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	contents, contacts, channels, receivedOn := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	sites, mailboxes, siteCodes, searches := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	segments, kinds, posts, badges := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	leadership, campaigns := make([]int64, n), make([]int64, n)
	byID := make(map[string]int, n)
	for i, r := range rows {
		o := r.opinion
		ids[i] = newDayOpinionID(ins.dayCode)
		byID[ids[i]] = r.index
		hashes[i] = r.hash
		types[i], units[i], depts[i], submitters[i] = o.Type, o.UnitCode, o.Dept, o.Submitter
		contents[i], contacts[i], receivedOn[i], sites[i] = o.Content, o.Contact, o.ReceivedOn, o.Site
		channels[i] = o.Channel
		if channels[i] == "" {
			channels[i] = "web"
		}
		mailboxes[i], siteCodes[i], searches[i] = o.MailboxCode, o.SiteCode, r.search
		segments[i], kinds[i], posts[i], badges[i] = o.Segment, o.Target.Kind, o.Target.Post, o.Target.Badge
		if o.AboutLeadership || o.Target.Kind == vocab.TargetLeadership { // as insert decides
			leadership[i] = 1
		}
		campaigns[i] = r.campaignID
	}
	if _, err := ins.tx.ExecContext(ctx, `SAVEPOINT submissions`); err != nil {
		return nil, fmt.Errorf("insert opinions: %w", mapError(err))
	}
	stored, err := ins.runMany(ctx, byID, ids, hashes, types, units, depts, submitters, contents, contacts,
		leadership, channels, receivedOn, sites, mailboxes, siteCodes, searches, campaigns, segments, kinds, posts, badges)
	end := `RELEASE SAVEPOINT submissions`
	if err != nil {
		end, stored = `ROLLBACK TO SAVEPOINT submissions`, nil
	}
	if _, serr := ins.tx.ExecContext(ctx, end); serr != nil {
		return nil, fmt.Errorf("insert opinions: %w", mapError(serr))
	}
	return stored, nil
}

// runMany runs insertOpinionsAtOnce and maps the ids it returns back to their batch index.
func (ins *opinionInserter) runMany(ctx context.Context, byID map[string]int, ids []string, hashes [][]byte,
	types, units, depts, submitters, contents, contacts []string, leadership []int64,
	channels, receivedOn, sites, mailboxes, siteCodes, searches []string, campaigns []int64,
	segments, kinds, posts, badges []string) (map[int]string, error) {
	query := ins.manySQL
	if query == "" {
		query = insertOpinionsAtOnce
	}
	rs, err := ins.tx.QueryContext(ctx, query, ins.day, ids, hashes, types, units, depts, submitters,
		contents, contacts, leadership, channels, receivedOn, sites, mailboxes, siteCodes, searches, campaigns,
		segments, kinds, posts, badges)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	stored := make(map[int]string, len(ids))
	for rs.Next() {
		var id string
		if err := rs.Scan(&id); err != nil {
			return nil, err
		}
		stored[byID[id]] = id
	}
	return stored, rs.Err()
}

// spendTokens spends the batch's single-use tokens (the captchas a submission carries, #11) in
// tx and reports, by batch index, whether each submission's was fresh (true for one without a
// token). On PostgreSQL one statement spends them all — one round trip on the writer's
// connection for the batch rather than one per submission; SQLite runs one statement each, a
// call inside the process. Either way a hash spent before, by any process, or twice within the
// batch, is fresh for its first submission only.
func (s *Store) spendTokens(ctx context.Context, tx *sql.Tx, batch []pending) ([]bool, error) {
	fresh := make([]bool, len(batch))
	var hashes [][]byte
	var days []string
	for i, p := range batch {
		t := p.opinion.Token
		switch {
		case t == nil:
			fresh[i] = true
		case !s.drv.insertsOpinionsAtOnce():
			ok, err := s.spendIn(ctx, tx, t.Hash, t.Expires)
			if err != nil {
				return nil, err
			}
			fresh[i] = ok
		default:
			hashes, days = append(hashes, t.Hash), append(days, s.tokenDay(t.Expires))
		}
	}
	if len(hashes) == 0 {
		return fresh, nil
	}
	spent, err := spendMany(ctx, tx, hashes, days)
	if err != nil {
		return nil, err
	}
	for i, p := range batch {
		if t := p.opinion.Token; t != nil && spent[string(t.Hash)] {
			fresh[i] = true
			delete(spent, string(t.Hash)) // a second submission with the same token is refused
		}
	}
	return fresh, nil
}

// spendMany inserts the tokens' rows with one statement and returns the hashes it stored: not
// those spent before (ON CONFLICT waits for another process's transaction holding the hash, then
// does nothing), and of a hash given twice only the first row.
func spendMany(ctx context.Context, tx *sql.Tx, hashes [][]byte, days []string) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `
		INSERT INTO spent_tokens (hash, until_on)
		SELECT t.hash, t.until_on FROM unnest(CAST(? AS bytea[]), CAST(? AS text[])) WITH ORDINALITY AS t(hash, until_on, n)
		ORDER BY t.n
		ON CONFLICT (hash) DO NOTHING
		RETURNING hash`, hashes, days)
	if err != nil {
		return nil, fmt.Errorf("spend tokens: %w", err)
	}
	defer rows.Close()
	stored := make(map[string]bool, len(hashes))
	for rows.Next() {
		var h []byte
		if err := rows.Scan(&h); err != nil {
			return nil, fmt.Errorf("spend tokens: %w", err)
		}
		stored[string(h)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("spend tokens: %w", err)
	}
	return stored, nil
}
