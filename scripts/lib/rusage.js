// Preloaded into a measured child (`node --import <this file> …`): on exit, the main thread
// writes the process's resource usage (all threads' CPU time, peak RSS, minor page faults) to
// $DEDUPE_RUSAGE_FILE.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.DEDUPE_RUSAGE_FILE;
if (file && isMainThread) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ userSeconds: u.userCPUTime / 1e6, systemSeconds: u.systemCPUTime / 1e6, maxRssBytes: u.maxRSS * 1024, minorFaults: u.minorPageFault }));
  });
}
