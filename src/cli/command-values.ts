import { InvalidArgumentError } from 'commander';

/**
 * What people type on the command line, turned into what the admin API takes: dollars into integer
 * micro-dollars, `30d` into milliseconds, `a,b` into lists, `field=value` into pairs. Each parser throws
 * commander's InvalidArgumentError, so a bad value is reported against its option before anything is sent.
 */

const microsPerDollar = 1_000_000;

/** `25.50`, `$25.5`, `0.000001` -> integer micro-dollars (string arithmetic: no floating-point rounding). */
export function parseDollars(value: string): number {
  const match = /^\$?(\d+)(?:\.(\d{1,6}))?$/.exec(value.trim());
  if (match === null) throw new InvalidArgumentError('expected an amount in dollars, e.g. 25 or 25.50 (at most 6 decimals)');
  const micros = Number(match[1]) * microsPerDollar + Number((match[2] ?? '').padEnd(6, '0'));
  if (!Number.isSafeInteger(micros)) throw new InvalidArgumentError('the amount is too large');
  return micros;
}

/** Integer micro-dollars as dollars for people: `$25.50`, `$0.000125` (no digits lost). */
export function formatDollars(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const absolute = Math.abs(micros);
  const dollars = Math.floor(absolute / microsPerDollar);
  const fraction = String(absolute % microsPerDollar).padStart(6, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${sign}$${dollars}.${fraction}`;
}

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30d`, `24h`, `1h30m`, `90s`, `500ms`, `2w` -> milliseconds. */
export function parseDuration(value: string): number {
  const text = value.trim();
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d|w)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) {
    throw new InvalidArgumentError('expected a duration such as 90s, 15m, 24h, 30d or 1h30m');
  }
  const total = parts.reduce((sum, part) => sum + Number(part[1]) * unitMs[part[2]], 0);
  if (total <= 0 || !Number.isSafeInteger(total)) throw new InvalidArgumentError('the duration must be above zero');
  return total;
}

/** Milliseconds as the largest exact unit: `86400000` -> `1d`, `90000` -> `90s`. */
export function formatDuration(milliseconds: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    if (milliseconds >= unitMs[unit] && milliseconds % unitMs[unit] === 0) return `${milliseconds / unitMs[unit]}${unit}`;
  }
  return `${milliseconds}ms`;
}

/** `a, b,c` -> `['a', 'b', 'c']` (empty entries dropped). */
export function parseList(value: string): string[] {
  const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list, e.g. gpt-4o,gpt-4o-mini');
  return items;
}

/** A repeatable list option: `--model a --model b,c` -> `['a', 'b', 'c']`. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...parseList(value)];
}

/** A repeatable `name=value` option (`--from-literal key=sk-...`): the value may itself contain `=`. */
export function collectAssignment(value: string, previous: Array<[string, string]> | undefined): Array<[string, string]> {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError('expected name=value');
  return [...(previous ?? []), [value.slice(0, separator), value.slice(separator + 1)]];
}

/** A whole number of at least `minimum`. */
export function integerParser(minimum: number): (value: string) => number {
  return (value) => {
    const number = Number(value.trim());
    if (value.trim() === '' || !Number.isSafeInteger(number) || number < minimum) throw new InvalidArgumentError(`expected a whole number of at least ${minimum}`);
    return number;
  };
}

/** A sampling temperature, 0 to 2. */
export function parseTemperature(value: string): number {
  const number = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 2) throw new InvalidArgumentError('expected a number from 0 to 2');
  return number;
}

/** `50,80,100` -> percentages, each a whole number from 1 to 100, ascending. */
export function parsePercentages(value: string): number[] {
  const percentages = parseList(value).map((item) => Number(item.replace(/%$/, '')));
  const valid = percentages.every((percent, index) => Number.isInteger(percent) && percent >= 1 && percent <= 100 && (index === 0 || percent > percentages[index - 1]));
  if (!valid) throw new InvalidArgumentError('expected ascending whole percentages from 1 to 100, e.g. 50,80,100');
  return percentages;
}

/** One of `choices`. */
export function choiceParser<Choice extends string>(choices: readonly Choice[]): (value: string) => Choice {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return value as Choice;
  };
}

/** Epoch milliseconds as an ISO time to the second (`2025-01-31T12:00:00Z`), or undefined. */
export function formatTime(epochMs: number | undefined): string | undefined {
  return epochMs === undefined ? undefined : `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}
