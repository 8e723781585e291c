import type { BucketVerdict } from './series-detector.js';
import type { SubjectInfo } from './series-aggregator.js';
import { seriesKeyOf, type SeriesKey } from './series.js';
import type { RootCauseHint } from './incident.js';

/** The verdicts of one bucket, by series id, and what is known of the subjects. */
export interface RootCauseInput {
  verdicts: ReadonlyMap<string, BucketVerdict>;
  subjects: ReadonlyMap<string, SubjectInfo>;
}

function excessOf(verdict: BucketVerdict | undefined): number {
  return verdict === undefined ? 0 : Math.max(0, verdict.value - verdict.baseline);
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/**
 * Points at what explains an incident of `subject`, whose anomalous series are `anomalous`:
 * - a deployment's error rate: the error code with the largest rise over its own baseline;
 * - a deployment's latency: its provider when other deployments of that provider rose too, else the
 *   deployment (and its model) itself;
 * - a team: the key of the team whose rise on the same metric is largest;
 * - a key: the key itself.
 */
export function rootCauseOf(subject: SubjectInfo, anomalous: ReadonlyArray<SeriesKey>, input: RootCauseInput): RootCauseHint {
  const primary = anomalous[0];
  if (subject.dimension === 'deployment') {
    if (anomalous.some((key) => key.metric === 'error_rate')) {
      const codes = [...input.verdicts].filter(([id]) => {
        const key = seriesKeyOf(id);
        return key.metric === 'error_rate' && key.dimension === 'deployment' && key.subject === subject.subject && key.errorCode !== undefined;
      });
      const total = codes.reduce((sum, [, verdict]) => sum + excessOf(verdict), 0);
      const [topId, topVerdict] = codes.sort((left, right) => excessOf(right[1]) - excessOf(left[1]))[0] ?? [];
      if (topId !== undefined && total > 0) {
        const code = seriesKeyOf(topId).errorCode as string;
        const share = excessOf(topVerdict) / total;
        return { dimension: 'error_code', value: code, share, summary: `Errors "${code}" on deployment ${subject.subject} explain ${percent(share)} of the rise in its error rate.` };
      }
    }
    const metric = primary?.metric ?? 'latency';
    const peers = [...input.subjects.values()].filter((other) => other.dimension === 'deployment' && other.provider !== undefined && other.provider === subject.provider);
    const risen = peers.filter((peer) => input.verdicts.get(`${metric}|deployment|${peer.subject}`)?.out === true);
    if (subject.provider !== undefined && risen.length >= 2) {
      return { dimension: 'provider', value: subject.provider, share: risen.length / peers.length, summary: `${risen.length} of ${peers.length} deployments of provider ${subject.provider} rose together: the provider, not one deployment, is the likely cause.` };
    }
    const model = subject.model === undefined ? '' : ` (model ${subject.model})`;
    return { dimension: 'deployment', value: subject.subject, share: 1, summary: `Only deployment ${subject.subject}${model} is affected.` };
  }
  if (subject.dimension === 'team' && primary !== undefined) {
    const members = [...input.subjects.values()].filter((other) => other.dimension === 'key' && other.teamId === subject.subject);
    const excesses = members.map((member) => ({ key: member.subject, excess: excessOf(input.verdicts.get(`${primary.metric}|key|${member.subject}`)) }));
    const total = excesses.reduce((sum, each) => sum + each.excess, 0);
    const top = excesses.sort((left, right) => right.excess - left.excess)[0];
    if (top !== undefined && total > 0) {
      const share = top.excess / total;
      return { dimension: 'key', value: top.key, share, summary: `Key ${top.key} accounts for ${percent(share)} of the rise in team ${subject.subject}'s ${primary.metric.replace(/_/g, ' ')}.` };
    }
    return { dimension: 'team', value: subject.subject, share: 1, summary: `Team ${subject.subject} as a whole; no single key stands out.` };
  }
  const metrics = anomalous.map((key) => key.metric.replace(/_/g, ' ')).join(', ');
  return { dimension: subject.dimension, value: subject.subject, share: 1, summary: `${subject.dimension === 'key' ? 'Key' : 'Team'} ${subject.subject} itself (${metrics}).` };
}
