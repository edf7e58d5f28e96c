// The job panel's section for a job that runs as several instances
// (settings.parallelism): each one's Kafka partitions, speed, lag and how
// busy its thread is, and a note when one does much more than the others
// (its partitions hold more of the records: a skewed key).
import type { InstanceMetrics } from '@sluice/shared';
import { useEditor } from '../store/context.js';
import { formatCount, formatRate } from './format.js';

/** When the busiest instance reads this many times the least busy's records, it is said. */
const SKEWED = 1.5;
/** How long after the start the instances' partitions are taken as settled. */
const SETTLED_MS = 15_000;

/** A sentence on the instances' balance, or null when they share the work about evenly. */
export function skewNote(instances: readonly InstanceMetrics[], uptimeMs: number): string | null {
  // The group's assignment takes a moment: until then an instance may have no partition yet.
  if (uptimeMs < SETTLED_MS) return null;
  const running = instances.filter((i) => i.status === 'running');
  if (running.length < 2) return null;
  const byRate = [...running].sort((a, b) => b.inPerSecond - a.inPerSecond);
  const most = byRate[0]!;
  const least = byRate.at(-1)!;
  if (most.inPerSecond === 0) return null;
  if (least.inPerSecond > 0 && most.inPerSecond < least.inPerSecond * SKEWED) return null;
  const idle = running.find((i) => i.partitions.length === 0);
  if (idle) {
    return `Instance ${idle.index + 1} reads no partition: the topic has fewer partitions than the job has instances, or another job in the same consumer group reads them.`;
  }
  const which = `its partitions hold more of the records (a hot key?), and the job goes at its pace`;
  if (least.inPerSecond === 0) {
    return `Instance ${most.index + 1} reads records and instance ${least.index + 1} none: ${which}.`;
  }
  const times = (most.inPerSecond / least.inPerSecond).toFixed(1);
  return `Instance ${most.index + 1} reads ${times}× as many records a second as instance ${least.index + 1}: ${which}.`;
}

export function InstanceFacts() {
  const instances = useEditor((s) => s.live.instances);
  const uptimeMs = useEditor((s) => s.live.clock?.uptimeMs ?? 0);
  if (!instances || instances.length < 2) return null;
  const note = skewNote(instances, uptimeMs);
  return (
    <section aria-label="Instances">
      <h3>Instances</h3>
      <div className="table-scroll instances-table">
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Partitions</th>
              <th scope="col" className="num" title="Records its sources read a second">
                Rec/s
              </th>
              <th scope="col" className="num" title="Kafka messages its sources have yet to read">
                Lag
              </th>
              <th scope="col" className="num">
                Busy
              </th>
            </tr>
          </thead>
          <tbody>
            {instances.map((i) => (
              <tr key={i.index} data-testid={`instance-${i.index + 1}`}>
                <td>{i.index + 1}</td>
                <td title={i.partitions.join(', ')}>
                  {i.partitions.length === 0 ? 'none' : i.partitions.map(partitionOf).join(', ')}
                </td>
                <td className="num">
                  {i.status === 'running' ? formatRate(i.inPerSecond) : i.status}
                </td>
                <td className="num">{formatCount(i.lag)}</td>
                <td className="num">{Math.round(i.busy * 100)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {note && <p className="small tone-warning">{note}</p>}
    </section>
  );
}

/** `orders:3` → `3`; the topic is in the cell's tooltip. */
function partitionOf(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}
