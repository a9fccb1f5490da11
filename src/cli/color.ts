/**
 * Colour or not, in the order users expect: an explicit flag, then FORCE_COLOR, then NO_COLOR
 * (chalk does not read it itself), then whether the stream is a terminal that is not TERM=dumb
 * (a terminal that says it understands no escape sequences).
 */
export function shouldColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}
