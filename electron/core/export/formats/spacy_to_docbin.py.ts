/**
 * The Python script shipped in the export bundle next to `*.spacy.jsonl`: it builds spaCy v3
 * `.spacy` (DocBin) files on the training machine, where spaCy is installed (the app is offline and
 * has no Python). Kept as a string so the bundle writer needs no resource path at run time.
 */

export const SPACY_SCRIPT_NAME = 'spacy_to_docbin.py';

export const SPACY_TO_DOCBIN_PY = `#!/usr/bin/env python3
"""Turn an annotation-workstation spaCy JSONL export into spaCy v3 training data (.spacy DocBin).

Usage:
    python spacy_to_docbin.py train.spacy.jsonl train.spacy
    python spacy_to_docbin.py train.spacy.jsonl train_spacy/ --shard-size 50000
    python -m spacy train config.cfg --paths.train train.spacy --paths.dev dev.spacy

Each input line is {"id", "text", "entities": [{"start", "end", "label", "text"}], "cats": {...},
"sentiment", "meta"}. Offsets are Unicode code points, end-exclusive: the indices of a Python str,
which is what Doc.char_span takes.

- doc.ents gets the entity spans; where spans overlap, spacy.util.filter_spans keeps the longest.
  Every span, overlapping or not, is also kept in doc.spans[--spans-key] (for spancat).
- doc.cats gets "cats": every intent with 1.0 or 0.0 (textcat for single-label schemas,
  textcat_multilabel for multi-label ones); an item without an intent has no cats (not a negative).
- id, sentiment and meta go to doc.user_data.
- The default language is "zh", whose default segmenter splits into single characters, so every
  span boundary is a token boundary. With another tokenizer a span that does not fall on token
  boundaries is widened to the tokens it touches (alignment_mode="expand") and counted.
- A DocBin holds its documents in memory until it is written; --shard-size N writes every N
  documents to its own file in the output directory (spacy train reads a directory of .spacy files).
"""
import argparse
import json
import os
import sys


def read_records(path):
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as e:
                raise SystemExit(f"{path}:{line_no}: not JSON: {e}")


def make_doc(nlp, record, spans_key, stats):
    from spacy.util import filter_spans

    doc = nlp.make_doc(record["text"])
    spans = []
    for ent in record.get("entities", []):
        span = doc.char_span(ent["start"], ent["end"], label=ent["label"])
        if span is None:
            span = doc.char_span(ent["start"], ent["end"], label=ent["label"], alignment_mode="expand")
            if span is None:
                stats["skipped"] += 1
                continue
            stats["widened"] += 1
        spans.append(span)
    ents = filter_spans(spans)
    stats["overlapping"] += len(spans) - len(ents)
    doc.ents = ents
    doc.spans[spans_key] = spans
    doc.cats = {label: float(v) for label, v in record.get("cats", {}).items()}
    doc.user_data["id"] = record.get("id")
    doc.user_data["sentiment"] = record.get("sentiment")
    doc.user_data["meta"] = record.get("meta", {})
    return doc


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="the .spacy.jsonl file of the export")
    parser.add_argument("output", help="the .spacy file to write (a directory with --shard-size)")
    parser.add_argument("--lang", default="zh", help="spaCy language code for spacy.blank (default zh)")
    parser.add_argument("--spans-key", default="sc", help="doc.spans key for all spans (default sc)")
    parser.add_argument("--shard-size", type=int, default=0, help="documents per .spacy file (0: one file)")
    args = parser.parse_args(argv)

    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank(args.lang)
    stats = {"docs": 0, "widened": 0, "skipped": 0, "overlapping": 0, "files": 0}
    if args.shard_size > 0:
        os.makedirs(args.output, exist_ok=True)

    def write(db):
        if args.shard_size > 0:
            path = os.path.join(args.output, f"{stats['files']:05d}.spacy")
        else:
            path = args.output
        db.to_disk(path)
        stats["files"] += 1

    db = DocBin(store_user_data=True)
    in_bin = 0
    for record in read_records(args.input):
        db.add(make_doc(nlp, record, args.spans_key, stats))
        stats["docs"] += 1
        in_bin += 1
        if args.shard_size > 0 and in_bin >= args.shard_size:
            write(db)
            db = DocBin(store_user_data=True)
            in_bin = 0
    if in_bin or stats["files"] == 0:
        write(db)

    print(
        f"{stats['docs']} docs in {stats['files']} file(s) -> {args.output}; "
        f"{stats['widened']} spans widened to token boundaries, {stats['skipped']} skipped, "
        f"{stats['overlapping']} overlapping spans only in doc.spans[{args.spans_key!r}]",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;
