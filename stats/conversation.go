package stats

import (
	"context"
	"fmt"
	"sort"

	"minsheng/period"
)

// Conversation is the conversation with the submitters (#13) in a period, by the day each
// message carries (not the day of its opinion): what staff asked and wrote, what the
// submitters answered and added, and the files they sent with those. Counts only.
type Conversation struct {
	Questions int                `json:"questions"`
	Messages  int                `json:"messages"`
	Answers   int                `json:"answers"`
	Additions int                `json:"additions"`
	Files     int                `json:"files"`
	ByUnit    []ConversationUnit `json:"by_unit"` // units whose opinions had any, tree order
}

// ConversationUnit is one unit's line: the opinions about the unit (not its sub-units).
type ConversationUnit struct {
	Code      string `json:"code"`
	Questions int    `json:"questions"`
	Messages  int    `json:"messages"`
	Answers   int    `json:"answers"`
	Additions int    `json:"additions"`
	Files     int    `json:"files"`
}

// conversation counts the period's messages in the query's scope.
func (e *env) conversation(ctx context.Context, p period.Period) (Conversation, error) {
	counts, err := e.st.ConversationCounts(ctx, e.filter(p.From, p.To))
	if err != nil {
		return Conversation{}, fmt.Errorf("stats conversation %s: %w", p, err)
	}
	var c Conversation
	for _, x := range counts {
		c.Questions += x.Questions
		c.Messages += x.Messages
		c.Answers += x.Answers
		c.Additions += x.Additions
		c.Files += x.Files
		c.ByUnit = append(c.ByUnit, ConversationUnit{Code: x.Unit, Questions: x.Questions, Messages: x.Messages,
			Answers: x.Answers, Additions: x.Additions, Files: x.Files})
	}
	sort.SliceStable(c.ByUnit, func(i, j int) bool {
		a, okA := e.unitIndex[c.ByUnit[i].Code]
		b, okB := e.unitIndex[c.ByUnit[j].Code]
		if okA != okB {
			return okA
		}
		return a < b
	})
	return c, nil
}
