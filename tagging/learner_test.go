package tagging

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"minsheng/lifecycle"
	"minsheng/storage"
	"minsheng/suggest"
	"minsheng/suggest/corpus"
)

// TestRetrainLearnsFromTheOffice: the learner starts with the starting model, learns from the
// corpus and the office's decisions (one in five of which it holds out, by id, for measuring,
// never for training), keeps every new model, switches only when the new one measures at least
// as well on the same held-out items, and a read-only learner then suggests with the model in use.
func TestRetrainLearnsFromTheOffice(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	store, err := storage.Open(ctx, path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	train, heldout, err := corpus.Sample(200, 80)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Open(ctx, store, WithCorpus(train, heldout))
	if err != nil {
		t.Fatal(err)
	}
	if !l.Model().Info.TrainedAt.IsZero() {
		t.Fatal("a new portal should suggest with the starting model")
	}
	// The office sorts 30 opinions: about buck-passing, tagged 官僚主义 and its manifestation;
	// about parking, no style. Decisions are taken from opinions past 待梳理.
	office, heldOut := 0, 0
	for i := 0; i < 30; i++ {
		text, styles, tags := "停车场太小了，希望扩建一下，第"+string(rune('A'+i))+"次说了", []string(nil), []string(nil)
		if i%2 == 0 {
			text = "办证明来回跑了好几趟，这个窗口说不归他们管，那个科室又推回来，第" + string(rune('A'+i)) + "回"
			styles, tags = []string{"bureaucratism"}, []string{"bureaucratism-buckpassing"}
		}
		id, err := store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital",
			Submitter: "patient", Content: text}, receiptHash(i))
		if err != nil {
			t.Fatal(err)
		}
		if err := store.SetStylesAndTags(ctx, 0, id, styles, tags); err != nil {
			t.Fatal(err)
		}
		if err := store.Transition(ctx, 0, id, lifecycle.Step{To: lifecycle.Triaged}); err != nil {
			t.Fatal(err)
		}
		if HeldOut(id) {
			heldOut++
		} else {
			office++
		}
	}
	out, err := l.Retrain(ctx, time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if out.Info.FromOffice != office || out.Info.Examples != len(train)+office {
		t.Errorf("learnt from %d examples, %d of the office's; want %d and %d", out.Info.Examples, out.Info.FromOffice, len(train)+office, office)
	}
	if out.New.Examples != len(heldout)+heldOut || out.Old.Examples != out.New.Examples {
		t.Errorf("measured on %d and %d items, want both on %d", out.Old.Examples, out.New.Examples, len(heldout)+heldOut)
	}
	wantSwitch := out.New.StylesMicroF1 >= out.Old.StylesMicroF1 && out.New.QuietShare() >= out.Old.QuietShare()
	if out.Switched != wantSwitch {
		t.Errorf("switched = %v with F1 %.3f → %.3f, quiet %.3f → %.3f", out.Switched, out.Old.StylesMicroF1, out.New.StylesMicroF1, out.Old.QuietShare(), out.New.QuietShare())
	}
	models, err := store.Models(ctx)
	if err != nil || len(models) != 1 || models[0].Active != out.Switched {
		t.Fatalf("kept models = %+v (%v), want the new one, active = %v", models, err, out.Switched)
	}
	var info suggest.Info
	if err := json.Unmarshal([]byte(models[0].Info), &info); err != nil || info.FromOffice != office {
		t.Errorf("stored info = %+v (%v)", info, err)
	}
	_, err = store.ActiveModel(ctx)
	if out.Switched != (err == nil) || (!out.Switched && !errors.Is(err, storage.ErrNotFound)) {
		t.Errorf("active model after switched = %v: err %v", out.Switched, err)
	}
	ro, _, err := ReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if ro.Model().Info.TrainedAt.IsZero() == out.Switched {
		t.Errorf("read-only learner: trained at %v, switched %v", ro.Model().Info.TrainedAt, out.Switched)
	}
}

// TestHeldOutIsStable: the same id is always held out or always not, and about one in five is.
func TestHeldOutIsStable(t *testing.T) {
	n := 0
	for i := 0; i < 5000; i++ {
		id := string(rune('A'+i%26)) + string(rune('A'+i/26%26)) + string(rune('A'+i/676%26))
		if HeldOut(id) != HeldOut(id) {
			t.Fatal("HeldOut changes its mind")
		}
		if HeldOut(id) {
			n++
		}
	}
	if n < 800 || n > 1200 {
		t.Errorf("%d of 5000 held out, want about 1000", n)
	}
}

// receiptHash is a distinct stand-in for the hash of opinion i's receipt code.
func receiptHash(i int) []byte {
	h := sha256.Sum256([]byte{byte(i), byte(i >> 8)})
	return h[:]
}
