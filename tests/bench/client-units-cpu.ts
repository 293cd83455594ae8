// CPU time of the browser's processes and of the renderer's main thread, from the DevTools protocol's process
// list and /proc: on a shared machine wall-clock task times include the time other work held the core, CPU
// time does not.
import fs from 'node:fs';
import type { CDPSession } from 'playwright-core';

const TICK_MS = 10; // USER_HZ is 100 on Linux

export interface CpuSample {
  /** The main thread (Blink, JavaScript) of every renderer. */
  mainMs: number;
  /** Whole renderer processes: main thread, compositor, MapLibre's workers. */
  rendererMs: number;
  /** The GPU process: with SwiftShader, where WebGL is rasterised on the CPU. */
  gpuMs: number;
}

/** CPU of a process's main thread (its thread id is the process id; Blink runs there). */
function mainThreadCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0; // exited meanwhile
  }
}

export async function sampleCpu(browserSession: CDPSession): Promise<CpuSample> {
  const { processInfo } = await browserSession.send('SystemInfo.getProcessInfo');
  const sample: CpuSample = { mainMs: 0, rendererMs: 0, gpuMs: 0 };
  for (const process of processInfo) {
    if (process.type === 'renderer') {
      sample.rendererMs += process.cpuTime * 1000;
      sample.mainMs += mainThreadCpuMs(process.id);
    } else if (process.type.toLowerCase() === 'gpu') sample.gpuMs += process.cpuTime * 1000;
  }
  return sample;
}
