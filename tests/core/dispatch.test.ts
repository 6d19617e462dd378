import { LATEST_VERSION } from '../../electron/core/db/open';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/contract/dispatch';
import { AppError, type Result } from '../../shared/contract/errors';
import type { Handlers } from '../../shared/contract';
import { openCore } from './helpers';

const NOW = '2024-05-06T02:14:31.000Z';
const project = (id: string) => ({ id, name: '项目', description: '', createdAt: NOW, schemaVersion: 1, itemCount: 0, annotatedCount: 0 });

function failure(r: Result<unknown>) {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

describe('dispatch', () => {
  it('an unknown channel is UNKNOWN_CHANNEL and no handler runs', async () => {
    let ran = false;
    const handlers: Partial<Handlers> = { 'projects.list': () => ((ran = true), []) };
    const e = failure(await dispatch(handlers, 'projects.drop', {}));
    expect(e.code).toBe('UNKNOWN_CHANNEL');
    expect(e.message).toBe('unknown channel: projects.drop');
    expect(ran).toBe(false);
    // names that exist on every object are not channels either
    expect(failure(await dispatch(handlers, 'constructor', {})).code).toBe('UNKNOWN_CHANNEL');
    expect(failure(await dispatch(handlers, '__proto__', {})).code).toBe('UNKNOWN_CHANNEL');
    expect(failure(await dispatch(handlers, 'x'.repeat(10_000), {})).message.length).toBeLessThan(200);
  });

  it('a contract channel without a handler is UNKNOWN_CHANNEL', async () => {
    const e = failure(await dispatch({}, 'projects.list', {}));
    expect(e.code).toBe('UNKNOWN_CHANNEL');
    expect(e.message).toContain('projects.list');
  });

  it('bad input is VALIDATION with the field path in the message, and the handler does not run', async () => {
    let ran = false;
    const handlers: Partial<Handlers> = {
      'projects.get': () => (
        (ran = true),
        {
          ...project('p'),
          schema: {
            intents: { multiLabel: false, fallback: 'x', labels: [] },
            entities: { allowOverlap: false, types: [] },
            sentiment: { levels: [] },
          },
        }
      ),
      'imports.start': () => {
        ran = true;
        throw new Error('must not run');
      },
    };
    const a = failure(await dispatch(handlers, 'projects.get', { projectId: 42 }));
    expect(a.code).toBe('VALIDATION');
    expect(a.message).toMatch(/^invalid input for projects\.get: projectId: /);

    const b = failure(await dispatch(handlers, 'imports.start', { projectId: 'p', fileToken: 'AAAAAAAAAAAAAAAAAAAAAAAA', format: 'csv', mapping: { text: '' } }));
    expect(b.code).toBe('VALIDATION');
    expect(b.message).toContain('mapping.text');

    const c = failure(await dispatch(handlers, 'imports.start', { projectId: 'p', fileToken: 'AAAAAAAAAAAAAAAAAAAAAAAA', format: 'xml' }));
    expect(c.message).toContain('format');

    const d = failure(await dispatch(handlers, 'projects.get', null));
    expect(d.code).toBe('VALIDATION');
    expect(d.message).toContain('projectId');
    expect(ran).toBe(false);
  });

  it('a nested field path is joined with dots', async () => {
    const { core } = openCore();
    const e = failure(await core.dispatch('projects.create', { name: 'p', schema: { intents: { labels: [{ name: 'A', hotkey: 'ab' }] } } }));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('schema.intents.labels.0.hotkey: hotkey must be one key');
  });

  it('an AppError thrown by a handler keeps its code, message and details', async () => {
    const handlers: Partial<Handlers> = {
      'projects.get': ({ projectId }) => {
        throw new AppError('NOT_FOUND', `no project with id ${projectId}`, { projectId });
      },
      'projects.list': async () => {
        await Promise.resolve();
        throw new AppError('CONFLICT', 'busy');
      },
    };
    const r = await dispatch(handlers, 'projects.get', { projectId: 'nope' });
    expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no project with id nope', details: { projectId: 'nope' } } });
    expect(await dispatch(handlers, 'projects.list', {})).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'busy' } });
  });

  it('a plain Error becomes INTERNAL without its message or stack, and is reported to onInternalError', async () => {
    const secret = 'SQLITE_CORRUPT at /home/annotator/secret/path.db';
    const reported: [string, unknown][] = [];
    const handlers: Partial<Handlers> = {
      'projects.list': () => {
        throw new Error(secret);
      },
      'annotators.list': () => {
        throw 'a string, not an Error';
      },
    };
    const r = await dispatch(handlers, 'projects.list', {}, (ch, err) => reported.push([ch, err]));
    const e = failure(r);
    expect(e.code).toBe('INTERNAL');
    expect(e.message).toBe('internal error in projects.list');
    const serialized = JSON.stringify(r);
    expect(serialized).not.toContain('SQLITE_CORRUPT');
    expect(serialized).not.toContain('/home/annotator');
    expect(serialized).not.toMatch(/\bat .*\.ts:\d+/);
    expect(Object.keys(e).sort()).toEqual(['code', 'message']);
    expect(reported).toHaveLength(1);
    expect(reported[0]?.[0]).toBe('projects.list');
    expect((reported[0]?.[1] as Error).message).toBe(secret);

    const s = failure(await dispatch(handlers, 'annotators.list', {}));
    expect(s).toEqual({ code: 'INTERNAL', message: 'internal error in annotators.list' });
  });

  it('output that does not match the contract is INTERNAL', async () => {
    const reported: unknown[] = [];
    const handlers = {
      'projects.list': () => [{ id: 'p', name: 42 }],
      'app.info': () => ({ version: '1', dbPath: '/x', schemaVersion: 'one' }),
    } as unknown as Partial<Handlers>;
    const e = failure(await dispatch(handlers, 'projects.list', {}, (_c, err) => reported.push(err)));
    expect(e.code).toBe('INTERNAL');
    expect(e.message).toMatch(/^invalid output from projects\.list/);
    expect(failure(await dispatch(handlers, 'app.info', {})).code).toBe('INTERNAL');
    expect(reported).toHaveLength(1);
  });

  it('a valid call returns the parsed output, with input defaults applied', async () => {
    let seen: unknown;
    const handlers: Partial<Handlers> = {
      'items.list': (input) => {
        seen = input;
        return { total: 0, offset: input.offset, items: [] };
      },
    };
    expect(await dispatch(handlers, 'items.list', { projectId: 'p' })).toEqual({ ok: true, value: { total: 0, offset: 0, items: [] } });
    expect(seen).toEqual({ projectId: 'p', offset: 0, limit: 100, search: '' });
  });

  it('through the real core: NOT_FOUND, CONFLICT and success envelopes', async () => {
    const { core, internalErrors } = openCore();
    expect(failure(await core.dispatch('projects.get', { projectId: '01ABSENT' })).code).toBe('NOT_FOUND');
    const created = await core.dispatch('projects.create', { name: ' 客服 ' });
    expect(created.ok).toBe(true);
    const again = failure(await core.dispatch('projects.create', { name: '客服' }));
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toContain('客服');
    expect(failure(await core.dispatch('items.get', { itemId: 'missing' })).code).toBe('NOT_FOUND');
    expect(failure(await core.dispatch('imports.get', { importId: 'missing' })).code).toBe('NOT_FOUND');
    expect(failure(await core.dispatch('system.pickFile', { purpose: 'import' })).code).toBe('UNKNOWN_CHANNEL');
    const info = await core.dispatch('app.info', {});
    expect(info.ok && info.value).toMatchObject({ schemaVersion: LATEST_VERSION });
    expect(internalErrors).toEqual([]);
  });
});
