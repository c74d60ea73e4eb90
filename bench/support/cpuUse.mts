/**
 * How busy the machine's CPUs were over a span of a benchmark, and how much
 * of that was the benchmark itself, on a machine shared with other work
 * (Linux /proc). The benchmark's own processes are this process and its
 * descendants, and the PostgreSQL server processes whose title names one of
 * its databases.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuSample {
  at: number;
  /** Clock ticks all CPUs spent busy since boot. */
  busy: number;
  /** Clock ticks each of the benchmark's processes has used. */
  ours: Map<number, number>;
}

/** Takes a sample; `database` is a prefix of the benchmark's databases' names. */
export function sampleCpu(database: string): CpuSample {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync(
    '/proc/stat',
    'utf8',
  )
    .split('\n')[0]
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const processes = new Map<number, { parent: number; ticks: number }>();
  const titles = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After "pid (name) ": state, ppid, ... utime, stime (proc(5)).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      processes.set(Number(entry), { parent: Number(fields[1]), ticks });
      titles.set(
        Number(entry),
        readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '),
      );
    } catch {
      // it ended meanwhile
    }
  }
  const isOurs = (pid: number): boolean => {
    for (let p = pid; p > 1; p = processes.get(p)?.parent ?? 0)
      if (p === process.pid) return true;
    return (
      /^postgres:/.test(titles.get(pid)!) && titles.get(pid)!.includes(database)
    );
  };
  const ours = new Map<number, number>();
  for (const [pid, { ticks }] of processes)
    if (isOurs(pid)) ours.set(pid, ticks);
  return {
    at: performance.now(),
    busy: user + nice + system + irq + softirq + steal,
    ours,
  };
}

/**
 * Average CPU cores in use between two samples: by everything, by the
 * benchmark, and by other work (the rest; it also gets the time of the
 * benchmark's processes that ended in between, so it errs on the high side).
 */
export function cpuUse(from: CpuSample, to: CpuSample) {
  const TICKS_PER_SECOND = 100; // USER_HZ
  const seconds = (to.at - from.at) / 1000;
  const cores = (ticks: number) => ticks / TICKS_PER_SECOND / seconds;
  let ours = 0;
  for (const [pid, ticks] of to.ours) ours += ticks - (from.ours.get(pid) ?? 0);
  const all = to.busy - from.busy;
  return { all: cores(all), ours: cores(ours), others: cores(all - ours) };
}
