// The compiled library as a user of the package gets it: the public entry (`dedupe`) and the
// stages (`dedupe/lowlevel`). The scripts import nothing else from dist/.
// A dist/ that is missing or mid-rebuild is exit 2 with a message, never a crash that looks like
// a failed gate (1).

const load = async (file) => {
  try {
    return await import(new URL(`../../dist/${file}`, import.meta.url).href);
  } catch (error) {
    process.stderr.write(`${process.argv[1] ?? 'script'}: cannot load the compiled library dist/${file} (${error.message}).\n`);
    process.stderr.write('Run `npm run build` first; if another build is running meanwhile, wait for it and run again.\n');
    process.exit(2);
  }
};

/** analyse, analyseFiles, extractBody(ies), formatReport, exitCodeFor, DEFAULT_OPTIONS… */
export const api = await load('index.js');
/** prepareDocument, shingleHashes, sketcherFor, chooseBands, candidatePairs, exactJaccard, UnionFind, mulberry32, round… */
export const lowlevel = await load('lowlevel.js');
