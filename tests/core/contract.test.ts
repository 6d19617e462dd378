import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/contract/channels';
import { channels, contract, events, isChannel, isEventName, SHELL_CHANNELS } from '../../shared/contract';
import { openCore } from './helpers';

describe('contract: the name lists the preload uses', () => {
  it('CHANNEL_NAMES equals the keys of the contract, in order', () => {
    expect([...CHANNEL_NAMES]).toEqual(Object.keys(contract));
    expect([...CHANNEL_NAMES]).toEqual(channels);
    for (const name of CHANNEL_NAMES) expect(isChannel(name)).toBe(true);
  });

  it('EVENT_NAMES equals the keys of the events', () => {
    expect([...EVENT_NAMES]).toEqual(Object.keys(events));
    for (const name of EVENT_NAMES) expect(isEventName(name)).toBe(true);
    expect(isEventName('toString')).toBe(false);
  });

  it('the core answers every channel but the shell ones', () => {
    const { core } = openCore();
    const expected = Object.keys(contract).filter((c) => !(SHELL_CHANNELS as readonly string[]).includes(c));
    expect(Object.keys(core.handlers).sort()).toEqual(expected.sort());
  });
});
