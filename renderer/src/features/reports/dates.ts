/**
 * The filter bar works in calendar days of the user's time zone ('YYYY-MM-DD', what <input type="date">
 * gives); the report filter wants instants. A day range [from, to] covers from's midnight up to the
 * midnight after `to`, so both ends are included.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(day: string): [number, number, number] | null {
  const m = DAY.exec(day);
  return m ? [Number(m[1]), Number(m[2]) - 1, Number(m[3])] : null;
}

/** The instant the day starts (local midnight), ISO; null for an empty or malformed day. */
export function dayStart(day: string): string | null {
  const p = parts(day);
  return p ? new Date(p[0], p[1], p[2]).toISOString() : null;
}

/** The instant the day ends (the next local midnight, exclusive), ISO. */
export function dayEnd(day: string): string | null {
  const p = parts(day);
  return p ? new Date(p[0], p[1], p[2] + 1).toISOString() : null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Back from an instant to the local day an input shows; `end` for an exclusive upper bound. */
export function isoToDay(iso: string | null, end = false): string {
  if (!iso) return '';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const d = new Date(end ? t - 1 : t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
