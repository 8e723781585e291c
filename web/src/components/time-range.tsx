/** The time ranges the pages offer, by their length. */
export const timeRanges = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
  { label: 'Last 30 days', ms: 30 * 86_400_000 },
];

/** The `<option>`s of the ranges above (value: the range length in ms). */
export function TimeRangeOptions() {
  return (
    <>
      {timeRanges.map((range) => (
        <option key={range.ms} value={range.ms}>
          {range.label}
        </option>
      ))}
    </>
  );
}

/** A select of the ranges above; the value is the range length in ms. */
export function TimeRangePicker({ value, onChange }: { value: number; onChange: (ms: number) => void }) {
  return (
    <label className="field">
      Time range{' '}
      <select aria-label="Time range" value={value} onChange={(event) => onChange(Number(event.target.value))}>
        <TimeRangeOptions />
      </select>
    </label>
  );
}
