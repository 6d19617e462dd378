import { AppError } from '../../../shared/contract/errors';
import type { Explanation } from '../../../shared/contract/schemas';
import { codePointLength } from '../../../shared/domain/spans';
import type { DB } from '../db/open';
import { getItem } from '../db/repos/items';
import { latestClassifier } from '../db/repos/modelVersions';
import { embedTexts } from '../ml/embedTexts';
import type { ModelHost } from '../ml/modelHost';
import { classify } from '../ml/textClassifier';

const words = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Why the intent head suggests what it does, by occlusion: each word (Chinese word segmentation) is
 * left out in turn, and its weight is how much the probability of the suggested intent falls
 * without it (negative when the intent becomes more likely). One batch through the model.
 */
export async function explainIntent(db: DB, host: ModelHost, projectId: string, itemId: string): Promise<Explanation> {
  const head = latestClassifier(db, projectId, 'intents');
  if (!head) throw new AppError('NOT_FOUND', 'no intent model yet: pre-label the project first', { projectId });
  const { text } = getItem(db, itemId);
  const pieces: { start: number; end: number; text: string; wordLike: boolean }[] = [];
  let cp = 0;
  for (const s of words.segment(text)) {
    const n = codePointLength(s.segment);
    pieces.push({ start: cp, end: cp + n, text: s.segment, wordLike: s.isWordLike ?? true });
    cp += n;
  }
  const candidates = pieces.map((p, i) => ({ ...p, i })).filter((p) => p.wordLike && p.text.trim());
  const variants = candidates.map(
    (c) =>
      pieces
        .filter((_, j) => j !== c.i)
        .map((p) => p.text)
        .join('') || ' ',
  );
  const [base, ...occluded] = await embedTexts(host, [text, ...variants], { cache: db });
  const prediction = classify(head.classifier, base!);
  const index = head.classifier.labels.indexOf(prediction.label);
  return {
    label: prediction.label,
    score: prediction.score,
    modelVersion: `intents@v${head.row.version}`,
    pieces: candidates.map((c, k) => ({
      start: c.start,
      end: c.end,
      text: c.text,
      weight: prediction.score - (classify(head.classifier, occluded[k]!).probs[index] ?? 0),
    })),
  };
}
