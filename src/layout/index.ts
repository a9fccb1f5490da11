// Layout: physical lines to blocks (paragraphs, mail structure), before any body/boilerplate
// feature is computed. Pure: lines in, blocks out.

export { detectLayout, type Block, type BlockRole, type Layout } from './layout.js';
export { LAYOUT } from './params.js';
