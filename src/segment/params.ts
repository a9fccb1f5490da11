// Every weight and threshold of the body/boilerplate classifier, in one place. The decision code
// (classify.ts) uses no number of its own. `npm run fit:boilerplate` refits the logistic weights
// (LINE_WEIGHTS, HEADLINE_WEIGHTS) from the labelled dev pages in both layouts and prints them
// with their metrics, so the values below can be regenerated and checked; the context rules'
// values were chosen on the same pages by the F1 they give (the script prints that too).

/** Logistic weights of a unit's body score (a unit is a block: a line, or a rebuilt paragraph). */
export interface LineWeights {
  bias: number;
  /** × log(1 + words). */
  logWords: number;
  /** × the share of the unit's words that are stopwords of the document's language. */
  stopwordDensity: number;
  /** Ends like a sentence. */
  terminal: number;
  /** Ends with a colon. */
  colon: number;
  upperShare: number;
  capShare: number;
  digitShare: number;
  /** × link-like tokens (URLs, domains, @, separators) per word. */
  linkDensity: number;
  /** Holds a cue phrase of the strong, whole-line or short-line tier. */
  strongCue: number;
  wholeCue: number;
  shortCue: number;
  /** × the unit's position in the document (0 at the top, 1 at the bottom). */
  position: number;
  /** Reads like a call to action. */
  callToAction: number;
}

export const LINE_WEIGHT_NAMES: readonly (keyof LineWeights)[] = [
  'bias', 'logWords', 'stopwordDensity', 'terminal', 'colon', 'upperShare', 'capShare', 'digitShare', 'linkDensity',
  'strongCue', 'wholeCue', 'shortCue', 'position', 'callToAction',
];

export interface ClassifierParams extends LineWeights {
  /** Longest unit (in words) a strong cue makes boilerplate whatever the context. */
  strongCueMaxWords: number;
  /** Longest unit (in words) a short-line or whole-line cue makes boilerplate whatever the context. */
  shortCueMaxWords: number;
  /** Added to every score before smoothing (a prior towards body). */
  shift: number;
  /** Cost of switching between body and boilerplate in the smoothing pass. */
  switchCost: number;
  /** Body blocks separated from the article by at most this many units join it. */
  joinGap: number;
  /** Gaps inside the article of at most this many units without boilerplate evidence are body. */
  fillGap: number;
  /** Link density from which a unit in such a gap counts as boilerplate evidence. */
  fillGapLinkDensity: number;
  /** Units before the article searched for the headline. */
  headlineWindow: number;
  /** The best headline candidate is taken when its headline score exceeds this. */
  headlineThreshold: number;
  /** A unit whose score reaches this is "clearly body" for the context rules. */
  clearBody: number;
  /** The tail rule applies when less than this share of the body mass follows the cue. */
  tailShare: number;
  /** Longest run of uncertain units the "between boilerplate" rule relabels. */
  sandwichRun: number;
  /** Score of a unit that recurs across the corpus, or that is mail structure. */
  templateScore: number;
  /** Link density from which a unit is evidence of boilerplate (see "no evidence, no boilerplate"). */
  evidenceLinkDensity: number;
  /** The headline model's weights. */
  headline: HeadlineWeights;
}


/** Logistic weights of the headline model: which unit before the article is its headline. */
export interface HeadlineWeights {
  bias: number;
  /** × log(units between the candidate and the article). */
  logDistance: number;
  logWords: number;
  /** Fewer words than HEADLINE_SHAPE.minWords, more than HEADLINE_SHAPE.maxWords. */
  tooShort: number;
  tooLong: number;
  capShare: number;
  terminal: number;
  colon: number;
  /** Holds any link-like token. */
  link: number;
  digitShare: number;
  upperShare: number;
  stopwordDensity: number;
  /** Holds any cue or reads like a call to action; holds a strong or whole-line cue. */
  anyCue: number;
  strongCue: number;
  /** × the share of its words (3+ letters) found in the article's opening. */
  overlap: number;
}

export const HEADLINE_WEIGHT_NAMES: readonly (keyof HeadlineWeights)[] = [
  'bias', 'logDistance', 'logWords', 'tooShort', 'tooLong', 'capShare', 'terminal', 'colon', 'link', 'digitShare',
  'upperShare', 'stopwordDensity', 'anyCue', 'strongCue', 'overlap',
];

export const HEADLINE_WEIGHTS: HeadlineWeights = {
  bias: -2.898,
  logDistance: -0.3,
  logWords: 0.76,
  tooShort: -1.734,
  tooLong: -1.462,
  capShare: -1.577,
  terminal: -0.667,
  colon: -0.425,
  link: -0.961,
  digitShare: -1.576,
  upperShare: -0.645,
  stopwordDensity: -0.725,
  anyCue: -1.456,
  strongCue: -0.519,
  overlap: 4.689,
};

export const DEFAULT_PARAMS: ClassifierParams = {
  bias: -4.994,
  logWords: 1.656,
  stopwordDensity: 1.226,
  terminal: 1.508,
  colon: 1.369,
  upperShare: -0.008,
  capShare: -0.919,
  digitShare: -0.666,
  linkDensity: -0.72,
  strongCue: -1.456,
  wholeCue: -0.246,
  shortCue: -2.519,
  position: -1.531,
  callToAction: -0.527,
  strongCueMaxWords: 30,
  shortCueMaxWords: 8,
  shift: 1,
  switchCost: 1.5,
  joinGap: 4,
  fillGap: 3,
  fillGapLinkDensity: 0.5,
  headlineWindow: 10,
  headlineThreshold: -2,
  clearBody: 3,
  tailShare: 0.25,
  sandwichRun: 3,
  templateScore: -8,
  evidenceLinkDensity: 0.2,
  headline: HEADLINE_WEIGHTS,
};

export const HEADLINE_SHAPE = {
  minWords: 3,
  maxWords: 25,
  /** Words of at least this many characters count for the overlap with the article's opening. */
  overlapMinChars: 3,
  /** The article's opening: its first units, and at most this many distinct words. */
  openingUnits: 8,
  openingWords: 300,
} as const;

/** How sure the classifier says it is (a label's confidence is clamped to [floor, ceiling]). */
export const CONFIDENCE = {
  floor: 0.5,
  ceiling: 0.99,
  /** At least this for boilerplate from a template line or mail structure ... */
  template: 0.95,
  /** ... from a strong or whole-line cue, a short-line cue, a call to action. */
  cue: 0.9,
  shortCue: 0.75,
  callToAction: 0.8,
  /** Boilerplate by context alone over a positive score: floor + this × (1 − sigmoid(score)). */
  overruled: 0.4,
} as const;

/**
 * The labeller's rules, as against its numbers: bumped when a change in code labels the same text
 * otherwise (an index stores labels, and one made before must be refused, not misread).
 * 2: a recurring title-shaped line right above the article may be its headline (classify.ts,
 * recurringTitle); quoted text is never template (TEMPLATE_ROLES).
 * 3: a body line of more than TEMPLATE_MAX_WORDS words is article text around a recurring line
 * (core/analyse.ts, outsideArticle).
 */
export const LABELLER_RULES = 3;
