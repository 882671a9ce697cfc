import { z } from 'zod';
import { addTo, checkTimeZone, formatInstant, parseInstant } from './date-time.js';
import { anyValue } from './props.js';
import type { StepKind } from './step-kind.js';

const amount = z
  .strictObject({
    years: z.number().int().optional(),
    months: z.number().int().optional(),
    days: z.number().int().optional(),
    hours: z.number().optional(),
    minutes: z.number().optional(),
    seconds: z.number().optional(),
    milliseconds: z.number().optional(),
  })
  .describe('What to add (negative to subtract): years, months, days move the calendar of the time zone; hours, minutes, seconds are exact');

const props = z
  .strictObject({
    operation: z.enum(['now', 'parse', 'format', 'add']).default('now').describe('now: the current time; parse: read `value`; format: write `value`; add: `value` plus `add`'),
    value: anyValue().optional().describe('The date (parse, format, add): an ISO text, a text in `inputFormat`, or milliseconds since 1970'),
    inputFormat: z.string().optional().describe('How `value` is written when it is not ISO: yyyy MM dd HH mm ss SSS, e.g. dd/MM/yyyy HH:mm (read in `timeZone`)'),
    format: z.string().default('iso').describe("The output: iso (with the zone's offset), epoch (milliseconds), or a pattern of yyyy MM dd HH mm ss SSS XXX and 'quoted text'"),
    timeZone: z.string().default('UTC').describe('IANA time zone for reading wall-clock texts, calendar arithmetic and the output: UTC, Europe/Paris…'),
    add: amount.optional(),
  })
  .describe('Date/Time');
type Props = z.output<typeof props>;

/** Date/Time: now, parse, format and add, in any IANA time zone (Intl), from the execution's clock. */
export const dateTimeStep: StepKind<Props> = {
  kind: 'dateTime',
  title: 'Date/Time',
  category: 'misc',
  icon: 'clock',
  description: 'Gets the current time, reads a date, writes one in a pattern or adds a duration, in a time zone (Europe/Paris…). Its output is the date in `format` (ISO by default).',
  props,
  container: false,
  runSync(step, ctx) {
    const p = step.props;
    checkTimeZone(p.timeZone);
    let t: number;
    if (p.operation === 'now') t = ctx.now();
    else {
      const v = ctx.value(p.value);
      if (v === undefined) throw ctx.error('BAD_VARIABLE', `${p.operation} needs a value`);
      t = parseInstant(v, p.inputFormat, p.timeZone);
    }
    if (p.operation === 'add') t = addTo(t, p.add ?? {}, p.timeZone);
    return formatInstant(t, p.format, p.timeZone);
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  check(step) {
    try {
      checkTimeZone(step.raw.timeZone);
    } catch (e) {
      return [`props.timeZone: ${(e as Error).message}`];
    }
    return step.raw.operation === 'add' && !step.raw.add ? ['an add needs `add` (days, hours…)'] : [];
  },
  outputSchema: (step) => (step.raw.format === 'epoch' ? { type: 'integer' } : { type: 'string' }),
};
