import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-labeling';
import { migration0003 } from './0003-models';
import { migration0004 } from './0004-quality';
import { migration0005 } from './0005-durable-imports';
import { migration0006 } from './0006-provenance';
import { migration0007 } from './0007-adjudication';
import { migration0008 } from './0008-packs';
import type { Migration } from './types';

export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008];
export const LATEST_VERSION = migrations.length;
