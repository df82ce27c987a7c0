// Package corpus holds the project's labelled corpus of made-up opinions for the tag
// suggestions: train.jsonl, train2.jsonl, train3.jsonl and train4.jsonl to learn from and
// heldout.jsonl to measure on, never to train or tune with, and keywords.json, the starting
// keyword lists per tag. README.md gives the schema, the codes, how the lines were written and
// the counts; corpus_test.go checks them.
package corpus
