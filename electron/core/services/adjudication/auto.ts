import type { AutoInput, AutoResult } from '../../../../shared/contract/adjudication';
import type { DB } from '../../db/open';
import { currentSchema } from '../../db/repos/projects';
import { pauseForInteractiveCalls } from '../../threads/interactiveCalls';
import type { Runtime } from '../../runtime';
import { changesSomething, planItem, type ItemPlan, type PosteriorOf } from './autoPlan';
import { writePlans, type AutoCounts } from './autoWrite';
import { dawidSkenePass } from './dawidSkenePass';
import type { AutoRun } from './events';
import { itemPages } from './pages';
import { refreshQueue } from './queue';
import { currentGuidelineVersion } from './settings';

/** How a run goes through the project; small values only in tests. */
export interface AutoPaging {
  /** Items read and planned at a time: memory holds one page, and the plans of at most flushItems items. */
  pageItems: number;
  /** Plans written together, `stepItems` at a time (see writePlans). */
  flushItems: number;
  stepItems: number;
}

export const AUTO_PAGING: AutoPaging = { pageItems: 1000, flushItems: 5000, stepItems: 100 };

const noPosterior: PosteriorOf = () => undefined;

/**
 * Resolves agreed items by a policy without touching a person's decision (items resolved or flagged
 * by a reviewer are skipped and counted as kept_human). An item is auto-resolved when every field
 * of the chosen tasks resolves; each field written records the policy, its parameters and the run.
 * A rerun with the same data writes nothing; a field that no longer resolves has its automatic
 * decision withdrawn. With dryRun the counts come back and nothing is written.
 *
 * Page by page in `ord` order; Dawid–Skene first estimates over the whole project (vote patterns
 * only), then goes page by page the same way.
 */
export function autoResolve(db: DB, rt: Runtime, input: AutoInput, paging: AutoPaging = AUTO_PAGING): AutoResult {
  const schema = currentSchema(db, input.projectId);
  const now = rt.now().toISOString();
  if (!input.dryRun) refreshQueue(db, input.projectId, schema, now);
  const tasks = new Set(input.task === 'all' ? ['intents', 'sentiment', 'entities'] : [input.task]);
  const params: AutoResult['params'] = {
    task: input.task,
    minAnnotators: input.minAnnotators,
    ...(input.policy === 'majority' || input.policy === 'dawid-skene' ? { minShare: input.minShare } : {}),
    ...(input.policy === 'dawid-skene' ? { minPosterior: input.minPosterior } : {}),
  };
  const run: AutoRun = {
    projectId: input.projectId,
    policy: input.policy,
    paramsJson: JSON.stringify(params),
    runId: rt.newId(),
    guidelineVersion: currentGuidelineVersion(db, input.projectId),
    at: now,
  };
  const posteriorOf = input.policy === 'dawid-skene' ? dawidSkenePass(db, input.projectId, schema, tasks) : noPosterior;

  const counts: AutoCounts = { resolved: 0, disputed: 0, keptHuman: 0, written: 0 };
  let plans: ItemPlan[] = [];
  const flush = () => {
    if (plans.length) writePlans(db, rt, run, plans, counts, paging.stepItems);
    plans = [];
  };
  for (const page of itemPages(db, input.projectId, paging.pageItems)) {
    for (const item of page) {
      if (item.versions.length < 2) continue;
      if (item.state === 'human' || item.state === 'flagged') {
        counts.keptHuman++;
        continue;
      }
      const plan = planItem(item, schema, input, tasks, posteriorOf);
      if (plan.state === 'auto') counts.resolved++;
      else counts.disputed++;
      if (!input.dryRun && changesSomething(plan, item)) plans.push(plan);
    }
    if (plans.length >= paging.flushItems) flush();
    // Labeling and a reviewer working meanwhile go first (threads/interactiveCalls.ts, db/writeGate.ts).
    pauseForInteractiveCalls();
  }
  flush();
  return { resolved: counts.resolved, disputed: counts.disputed, kept_human: counts.keptHuman, policy: input.policy, written: counts.written, dryRun: input.dryRun, params };
}
