/**
 * What the gradient pool (gradientPool.ts), its supervisor thread (workers/gradientSupervisor.worker.ts)
 * and its workers (workers/gradient.worker.ts) share: words of one Int32Array on a SharedArrayBuffer,
 * and the reason the first thread that stopped gave.
 */
import type { RowRun } from './trainingRows';

/** Bumped by the pool to start a gradient; −1 tells the workers to stop. */
export const GEN = 0;
/** Workers started. */
export const READY = 1;
/** Workers done with the current gradient. */
export const DONE = 2;
/** 1 once a thread stopped that should not have; its reason is in the reason buffer. */
export const STOPPED = 3;
/** Bytes of that reason. */
export const REASON_LENGTH = 4;
/** Bumped (and notified) on every change the pool waits for, so it waits on one word and misses none. */
export const EVENTS = 5;
export const CONTROL_WORDS = 6;
export const REASON_BYTES = 1024;

/** Test hook: one worker dies at a chosen moment, to prove the pool notices (tests/core/workers). */
export interface GradientFault {
  worker: number;
  at: 'start' | 'gradient';
  how: 'exit' | 'exit0' | 'throw' | 'terminate';
}

/** What the worker sends its supervisor to be terminated (GradientFault 'terminate'). */
export const TERMINATE_ME = 'terminate me';

export interface GradientWorkerData {
  runs: RowRun[];
  F: number;
  C: number;
  theta: Float64Array;
  grad: Float64Array;
  loss: Float64Array;
  ctl: Int32Array;
  fault?: GradientFault | undefined;
}

export interface GradientSupervisorData {
  workers: Omit<GradientWorkerData, 'ctl' | 'fault'>[];
  ctl: Int32Array;
  reason: Uint8Array;
  fault?: GradientFault | undefined;
}

/** Adds to a counter and wakes the pool. */
export function signal(ctl: Int32Array, word: number): void {
  Atomics.add(ctl, word, 1);
  Atomics.add(ctl, EVENTS, 1);
  Atomics.notify(ctl, EVENTS);
}

/** Records why a thread stopped (the first reason only) and wakes the pool. */
export function recordStop(ctl: Int32Array, reason: Uint8Array, text: string): void {
  if (Atomics.load(ctl, STOPPED) !== 0) return;
  const { written } = new TextEncoder().encodeInto(text, reason);
  Atomics.store(ctl, REASON_LENGTH, written);
  signal(ctl, STOPPED);
}

/** The recorded reason, or null while every thread runs. */
export function stopReason(ctl: Int32Array, reason: Uint8Array): string | null {
  if (Atomics.load(ctl, STOPPED) === 0) return null;
  return new TextDecoder().decode(reason.slice(0, Atomics.load(ctl, REASON_LENGTH)));
}
