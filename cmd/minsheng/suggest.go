package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"time"

	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/suggest"
	"minsheng/tagging"
)

// suggestLine is one line of "minsheng suggest"'s input.
type suggestLine struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// suggestedLabel is one suggestion in its output.
type suggestedLabel struct {
	Code  string  `json:"code"`
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

// suggestAnswer is one line of its output: what the portal would suggest for one input line.
type suggestAnswer struct {
	ID     string           `json:"id"`
	Styles []suggestedLabel `json:"styles"`
	Tags   []suggestedLabel `json:"tags"`
}

// suggestCommand handles "minsheng suggest": tag suggestions for JSON lines on standard input,
// in the same order on standard output, with the model the portal at -db would use (the
// starting model when no database is named); it writes nothing to the database. With -retrain
// it retrains the portal's model from the office's decisions instead, as the portal does on
// its schedule, and says how the new model measured.
func suggestCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("suggest", getenv, stderr)
	retrain := fs.Bool("retrain", false, "retrain the portal's model from the office's tagging decisions (needs -db)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	named := getenv("MINSHENG_DB") != ""
	fs.Visit(func(f *flag.Flag) { named = named || f.Name == "db" })
	if *retrain {
		return retrainCommand(ctx, common.db, stdout)
	}
	path := ""
	if named {
		path = common.db
	}
	learner, tags, err := tagging.ReadOnly(ctx, path)
	if err != nil {
		return fmt.Errorf("suggest: %w", err)
	}
	labels := map[string]string{}
	for _, t := range tags {
		labels[t.Code] = t.Label
	}
	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 64*1024), 1024*1024)
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for n := 1; in.Scan(); n++ {
		var line suggestLine
		if err := json.Unmarshal(in.Bytes(), &line); err != nil {
			return fmt.Errorf("suggest: line %d: %w", n, err)
		}
		answer := suggestAnswer{ID: line.ID, Styles: []suggestedLabel{}, Tags: []suggestedLabel{}}
		for _, s := range learner.Suggest(line.Text) {
			score := math.Round(s.Score*100) / 100
			if s.Kind == suggest.KindStyle {
				answer.Styles = append(answer.Styles, suggestedLabel{s.Code, sifeng.Label(s.Code), score})
			} else {
				answer.Tags = append(answer.Tags, suggestedLabel{s.Code, labels[s.Code], score})
			}
		}
		if err := enc.Encode(answer); err != nil {
			return err
		}
	}
	return in.Err()
}

// retrainCommand retrains the model of the portal at path and reports the figures.
func retrainCommand(ctx context.Context, path string, stdout io.Writer) error {
	store, err := storage.Open(ctx, path, storage.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	learner, err := tagging.Open(ctx, store)
	if err != nil {
		return err
	}
	out, err := learner.Retrain(ctx, time.Now())
	if err != nil {
		return fmt.Errorf("suggest -retrain: %w", err)
	}
	verdict := "kept the model in use: the new one measured worse"
	if out.Switched {
		verdict = "switched to the new model"
	}
	fmt.Fprintf(stdout, "trained on %d examples (%d of them the office's own); on %d held-out items the four styles' micro-F1 is %.3f (was %.3f), no style suggested on %.3f of those with none (was %.3f): %s\n",
		out.Info.Examples, out.Info.FromOffice, out.New.Examples, out.New.StylesMicroF1, out.Old.StylesMicroF1,
		out.New.QuietShare(), out.Old.QuietShare(), verdict)
	return nil
}
