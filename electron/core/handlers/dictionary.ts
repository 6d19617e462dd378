import { listDictionary, replaceDictionary } from '../db/repos/dictionary';
import { currentSchema } from '../db/repos/projects';
import type { CoreContext, FeatureHandlers } from '../context';

export function dictionaryHandlers(ctx: CoreContext): FeatureHandlers<'dictionary.list' | 'dictionary.replace'> {
  const { db } = ctx;
  return {
    'dictionary.list': ({ projectId }) => listDictionary(db, projectId),
    'dictionary.replace': ({ projectId, entries }) => replaceDictionary(db, projectId, entries, currentSchema(db, projectId)),
  };
}
