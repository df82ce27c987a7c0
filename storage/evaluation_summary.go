package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"minsheng/lifecycle"
	"minsheng/sifeng"
	"minsheng/vocab"
)

// EvaluationOveralls are the ratings of the leadership group's work style, best first.
var EvaluationOveralls = vocab.List("overall.good", "overall.fair", "overall.average", "overall.poor")

// EvaluationAnswer is one attendee's form.
type EvaluationAnswer struct {
	Overall     string            // an EvaluationOveralls code
	Problems    []string          // sifeng.Manifestations codes
	Others      map[string]string // style code → other problems written under it
	Suggestions string
}

// valid reports whether the answer can be stored as it is.
func (a EvaluationAnswer) valid() bool {
	if !lifecycle.ValidTerm(EvaluationOveralls, a.Overall) || !utf8.ValidString(a.Suggestions) ||
		utf8.RuneCountInString(a.Suggestions) > MaxEvaluationText {
		return false
	}
	for _, p := range a.Problems {
		if !sifeng.ValidManifestation(p) {
			return false
		}
	}
	for style, text := range a.Others {
		if !sifeng.Valid(style) || !utf8.ValidString(text) || utf8.RuneCountInString(text) > MaxEvaluationOther {
			return false
		}
	}
	return true
}

// AnswerEvaluation uses the one-time code whose hash is codeHash and stores the answer, in one
// transaction: either both happen or neither. An unknown code is ErrNotFound, a used one
// ErrCodeUsed (also when two people send the same code at once), an evaluation not open today
// ErrEvaluationClosed, a malformed answer ErrInvalid. Nothing links the answer to the code and
// no audit row is written: its time would date the answer more finely than the day.
func (s *Store) AnswerEvaluation(ctx context.Context, codeHash []byte, a EvaluationAnswer) error {
	if !a.valid() {
		return fmt.Errorf("evaluation answer: %w", ErrInvalid)
	}
	all, err := s.Campaigns(ctx) // from memory, before the write: which windows are open
	if err != nil {
		return err
	}
	return s.publicWriteTx(ctx, func(ctx context.Context, tx *sql.Tx, day string) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT evaluation_id FROM evaluation_codes WHERE code_hash = ?`, codeHash).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("evaluation code: %w", ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("read evaluation code: %w", err)
		}
		ev, err := evaluationPeriod(ctx, tx, id)
		if err != nil {
			return err
		}
		if !ev.Open(day) || windowClosed(all, ev.CampaignID, day) {
			return fmt.Errorf("evaluation %d on %s: %w", id, day, ErrEvaluationClosed)
		}
		res, err := tx.ExecContext(ctx, `UPDATE evaluation_codes SET used = 1 WHERE code_hash = ? AND used = 0`, codeHash)
		if err != nil {
			return fmt.Errorf("use evaluation code: %w", err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return fmt.Errorf("evaluation %d: %w", id, ErrCodeUsed)
		}
		return insertEvaluationAnswer(ctx, tx, id, day, a)
	})
}

// insertEvaluationAnswer writes the answer under a fresh random id.
func insertEvaluationAnswer(ctx context.Context, tx *sql.Tx, evaluationID int64, day string, a EvaluationAnswer) error {
	answerID := newOpinionID() + newOpinionID()
	if _, err := tx.ExecContext(ctx, `INSERT INTO evaluation_answers (id, evaluation_id, overall, suggestions, created_on)
		VALUES (?, ?, ?, ?, ?)`, answerID, evaluationID, a.Overall, a.Suggestions, day); err != nil {
		return fmt.Errorf("insert evaluation answer: %w", invalidIfConstraint(err))
	}
	for _, p := range a.Problems {
		if _, err := tx.ExecContext(ctx, `INSERT INTO evaluation_answer_problems (answer_id, manifestation)
			VALUES (?, ?) ON CONFLICT DO NOTHING`, answerID, p); err != nil {
			return fmt.Errorf("insert evaluation problem: %w", invalidIfConstraint(err))
		}
	}
	for style, text := range a.Others {
		if text = strings.TrimSpace(text); text == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO evaluation_answer_others (answer_id, style, text) VALUES (?, ?, ?)`,
			answerID, style, text); err != nil {
			return fmt.Errorf("insert evaluation other problems: %w", invalidIfConstraint(err))
		}
	}
	return nil
}

// Share is a count out of the answers.
type Share struct {
	Count, Of int
}

// Percent is the share in percent, one decimal; 0 when there are no answers.
func (sh Share) Percent() float64 {
	if sh.Of == 0 {
		return 0
	}
	return float64(int(1000*float64(sh.Count)/float64(sh.Of)+0.5)) / 10
}

// RatingCount is how many answers gave one overall rating.
type RatingCount struct {
	lifecycle.Term
	Share
}

// ProblemCount is how many answers ticked one manifestation.
type ProblemCount struct {
	sifeng.Manifestation
	Share
}

// StyleSummary is what the answers said about one of the four styles.
type StyleSummary struct {
	Style    sifeng.Style
	Answers  Share          // answers that ticked at least one of its manifestations
	Problems []ProblemCount // every manifestation, most ticked first
	Others   []string       // other problems written under it
}

// EvaluationSummary is what the supervision group reads.
type EvaluationSummary struct {
	Evaluation  Evaluation
	Answers     int
	Ratings     []RatingCount // in the order of EvaluationOveralls
	Styles      []StyleSummary
	Suggestions []string // in the order of the answers' random ids, never by time
}

// Enough reports whether there are enough answers to show shares.
func (sum EvaluationSummary) Enough() bool { return sum.Answers >= EvaluationMinAnswers }

// Favourable is the answers rating 好 or 较好 (好评率).
func (sum EvaluationSummary) Favourable() Share {
	sh := Share{Of: sum.Answers}
	for _, r := range sum.Ratings {
		if r.Code == "good" || r.Code == "fair" {
			sh.Count += r.Count
		}
	}
	return sh
}

// EvaluationSummary adds up the answers to evaluation id.
func (s *Store) EvaluationSummary(ctx context.Context, id int64) (EvaluationSummary, error) {
	ev, err := s.Evaluation(ctx, id)
	if err != nil {
		return EvaluationSummary{}, err
	}
	sum := EvaluationSummary{Evaluation: ev}
	ratings, err := collect(ctx, s.read, scanPair,
		`SELECT overall, count(*) FROM evaluation_answers WHERE evaluation_id = ? GROUP BY overall`, id)
	if err != nil {
		return EvaluationSummary{}, fmt.Errorf("evaluation ratings: %w", err)
	}
	perRating := map[string]int{}
	for _, r := range ratings {
		n, _ := strconv.Atoi(r.b)
		perRating[r.a] += n
		sum.Answers += n
	}
	for _, t := range EvaluationOveralls {
		sum.Ratings = append(sum.Ratings, RatingCount{Term: t, Share: Share{perRating[t.Code], sum.Answers}})
	}
	ticks, err := collect(ctx, s.read, scanPair, `SELECT p.answer_id, p.manifestation FROM evaluation_answer_problems p
		JOIN evaluation_answers a ON a.id = p.answer_id WHERE a.evaluation_id = ?`, id)
	if err != nil {
		return EvaluationSummary{}, fmt.Errorf("evaluation problems: %w", err)
	}
	perCode := map[string]int{}
	perStyle := map[string]map[string]bool{} // style → the answers that ticked any of it
	for _, t := range ticks {
		perCode[t.b]++
		style := sifeng.StyleOf(t.b)
		if perStyle[style] == nil {
			perStyle[style] = map[string]bool{}
		}
		perStyle[style][t.a] = true
	}
	others, err := collect(ctx, s.read, scanPair, `SELECT o.style, o.text FROM evaluation_answer_others o
		JOIN evaluation_answers a ON a.id = o.answer_id WHERE a.evaluation_id = ? ORDER BY o.answer_id`, id)
	if err != nil {
		return EvaluationSummary{}, fmt.Errorf("evaluation other problems: %w", err)
	}
	for _, st := range sifeng.Styles {
		ss := StyleSummary{Style: st, Answers: Share{len(perStyle[st.Code]), sum.Answers}}
		for _, m := range sifeng.ManifestationsOf(st.Code) {
			ss.Problems = append(ss.Problems, ProblemCount{Manifestation: m, Share: Share{perCode[m.Code], sum.Answers}})
		}
		// Most ticked first; ties keep the form's order.
		sort.SliceStable(ss.Problems, func(i, j int) bool { return ss.Problems[i].Count > ss.Problems[j].Count })
		for _, o := range others {
			if o.a == st.Code {
				ss.Others = append(ss.Others, o.b)
			}
		}
		sum.Styles = append(sum.Styles, ss)
	}
	// Ordered by the answers' random ids: nothing says which came first.
	texts, err := collect(ctx, s.read, scanPair, `SELECT id, trim(suggestions) FROM evaluation_answers
		WHERE evaluation_id = ? AND trim(suggestions) != '' ORDER BY id`, id)
	if err != nil {
		return EvaluationSummary{}, fmt.Errorf("evaluation suggestions: %w", err)
	}
	for _, t := range texts {
		sum.Suggestions = append(sum.Suggestions, t.b)
	}
	return sum, nil
}

// pair is a row of two text columns.
type pair struct{ a, b string }

func scanPair(rows *sql.Rows) (pair, error) {
	var p pair
	err := rows.Scan(&p.a, &p.b)
	return p, err
}
