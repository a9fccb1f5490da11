// Cue phrases per boilerplate category, matched on normalised text (normaliseText: NFKC,
// lower case, quotes and dashes unified, whitespace collapsed). English first, with the most
// common equivalents in Spanish, German, French, Italian, Portuguese and Russian.
//
// Each category has three tiers, compiled once at module load:
// - `strong`: phrases that mark boilerplate in a line of any length ("all rights reserved");
// - `short`: phrases that mark boilerplate only in a short line (a sentence of an article may
//   say "read more" or "subscribe", a 6-word line that says so is a call to action);
// - `whole`: the whole short line is the phrase (menu items such as "Home" or "Print").

import { STOPWORD_BITS } from './stopwords.js';
import type { BoilerplateCategory } from './types.js';

/** Longest line (in words) the `short` tier applies to. */
export const SHORT_CUE_MAX_WORDS = 14;
/** Longest line (in words) the `whole` tier applies to. */
export const WHOLE_CUE_MAX_WORDS = 5;

interface CueSource {
  category: BoilerplateCategory;
  strong: string[];
  short: string[];
  whole: string[];
}

// Word boundaries that work for every script (\b only knows ASCII).
const L = '(?<![\\p{L}\\p{N}])';
const R = '(?![\\p{L}\\p{N}])';

const SOURCES: CueSource[] = [
  {
    category: 'legal',
    strong: [
      '©', 'all rights reserved', 'copyright \\d{4}', 'copyright ©', '\\(c\\) \\d{4}', '(?:use|uses|accept) cookies',
      '(?:cookie|cookies) (?:policy|settings|preferences)', 'manage cookies',
      'may not be (?:published|reproduced|redistributed|republished)', 'without (?:the )?(?:prior )?written permission',
      'todos los derechos reservados', 'alle rechte vorbehalten', 'tous droits réservés',
      'tutti i diritti riservati', 'todos os direitos reservados', 'все права защищены',
      'política de privacidad', 'aviso legal', 'datenschutzerklärung', 'mentions légales',
      'politique de confidentialité', 'política de privacidade',
    ],
    short: [
      'terms (?:of use|of service|and conditions|& conditions)', 'privacy (?:policy|notice|statement|settings)',
      'disclaimer', 'impressum', 'datenschutz', 'legal notice', 'cookie',
    ],
    whole: ['copyright', 'terms', 'privacy', 'cookies', 'accessibility', 'agb'],
  },
  {
    category: 'newsletter',
    strong: [
      'sign up for (?:our|the) (?:\\w+ )?(?:email|e-mail|newsletter|newsletters|briefing)',
      'your inbox',
      'enter your (?:email|e-mail)', 'your (?:email|e-mail) address', 'subscribe to (?:our|the) newsletter',
    ],
    short: [
      'newsletters?', 'e-?mail alerts?', 'daily briefing', 'weekly briefing', 'morning briefing',
      'get our (?:daily|weekly)', 'boletín', 'рассылк\\w*',
    ],
    whole: [],
  },
  {
    category: 'promo',
    strong: [
      'subscribe (?:now|today|here)', 'start your (?:free )?(?:trial|subscription)',
      '(?:subscriber|subscribers) only', 'become a (?:member|subscriber|supporter)', 'unlimited (?:digital )?access',
      'support (?:our|independent|quality) journalism', 'donate (?:now|today)', 'make a donation',
      'download (?:the|our) (?:free )?app', 'get (?:the|our) app', 'available on the app store',
      'sponsored (?:content|post)', 'paid (?:content|post|partner)', 'advertising feature',
      'click here to (?:buy|order|subscribe|get)', 'suscríbete', 'jetzt abonnieren', 'abonnez-vous', 'abbonati',
      'подпишитесь',
    ],
    short: [
      'subscribe', 'free trial', 'sign up', 'join now', 'get it (?:now|today)', 'try it free', 'advertise with us',
      'ads? by', 'sponsored by', 'google play', 'app store', 'go here now', 'learn more', 'find out more',
      'buy now', 'shop now', 'order now', 'watch (?:it )?(?:live|now)', '(?:best|special|limited[- ]time) offer',
      '\\d+% off',
    ],
    whole: [
      'ad', 'ads', 'advert', 'advertisement', 'advertising', 'sponsored', 'sponsor', 'promoted', 'anzeige',
      'publicidad', 'publicité', 'werbung', 'pubblicità', 'реклама',
    ],
  },
  {
    category: 'credit',
    strong: [
      '(?:contributed|added) (?:to )?(?:this|the) (?:report|story|article)', 'contributed reporting',
      'additional reporting', '^(?:reporting|writing|editing) by', '\\((?:reporting|writing|editing) by', '; (?:reporting|writing|editing) by', 'via getty images', 'getty images',
      '\\((?:ap|afp|reuters|epa|upi|ansa|efe|dpa|xinhua)(?: photo/|/| photo)', '(?:ap|afp|epa|reuters) photo',
      '(?:photo|photos|image|images|picture|pictures|video|graphic|illustration) (?:by|credit|courtesy|source)',
      '(?:photo|photos|image|images|picture|pictures): ', 'shutterstock', 'istock', 'istockphoto', 'file photo',
      'foto: ', 'fotos: ', 'bild: ', 'фото: ', 'crédito: ', 'quelle: ',
    ],
    short: ['^(?:photos?|images?|pictures?|video|source|sources|credit|credits)(?: by)?: ', 'courtesy of'],
    whole: [
      'associated press', 'reuters', 'agence france-presse', 'the canadian press', 'press association',
      'afp', 'ap', 'epa', 'dpa', 'efe', 'upi', 'xinhua', 'bloomberg', 'pool',
    ],
  },
  {
    category: 'bio',
    strong: [
      '✉',
      "^[\\p{L}.'-]+(?: [\\p{L}.'-]+){0,3} is (?:an? |the )?(?:\\w+ ){0,3}(?:writer|reporter|correspondent|editor|columnist|contributor|journalist|producer|blogger|commentator|presenter|analyst)(?: and [a-z]+)? (?:for|at|with|based|on)",
      'follow (?:him|her|them|me) on', '(?:email|contact|reach) (?:him|her|them|the (?:author|writer|reporter)) at',
      'contact the (?:author|writer|reporter)', 'about the author', 'more (?:articles|stories) by',
    ],
    short: [
      "^by [\\p{L}.'-]+(?: [\\p{L}.'-]+){0,3}(?: (?:and|&) [\\p{L}.'-]+(?: [\\p{L}.'-]+){0,2})?$",
      'staff (?:writer|reporter)', 'correspondent$', 'columnist$',
    ],
    whole: [],
  },
  {
    category: 'navigation',
    strong: [
      'skip to (?:main )?content', 'back to top', 'you (?:may|might) also like', 'recommended for you',
      '(?:leave|post|add|write|submit) (?:a|your) comment', '(?:comment|comments) (?:are|is) closed',
      'log in to comment', 'be the first to comment', 'page \\d+ of \\d+', 'lea también', 'lee también',
      'leer más', 'mehr zum thema', 'lesen sie auch', 'lire aussi', 'leggi anche', 'leia também',
      'читайте также',
    ],
    short: [
      'read more', 'more from', 'more on (?:this|these)', 'see also', 'also read', 'read next', 'watch:', 'listen:',
      'top stories', 'latest (?:news|stories|headlines)', 'editors?\'? picks?', 'more stories', 'more news',
      'most (?:read|popular|viewed|shared|commented|emailed)',
      'related (?:articles|stories|content|news|coverage|links|topics|posts|videos)', 'share this',
      'share (?:on|via) (?:facebook|twitter|x|linkedin|whatsapp|email)', 'join the (?:conversation|discussion)',
      '^comments? ?(?:\\(\\d+\\)|\\d+|:)', 'permalink', 'report abuse', 'posted (?:by|on|at|in)', 'sort by',
      'tags?:', 'topics?:', 'filed under', 'categor(?:y|ies):', 'next (?:article|story|page|post)',
      'previous (?:article|story|page|post)', '(?:email|e-mail|print|save|share) (?:this|article|story)',
      'font size', 'text size', 'contact us', 'about us', 'site ?map', 'rss', 'home ?page', 'log ?in', 'sign in',
      'по теме', 'compartir', 'comentarios', 'teilen', 'kommentare', 'partager', 'commentaires', 'commenti',
      'comentários', 'поделиться', 'комментари\\w*',
    ],
    whole: [
      'home', 'print', 'email', 'e-mail', 'share', 'tweet', 'facebook', 'twitter', 'linkedin', 'whatsapp',
      'reddit', 'pinterest', 'instagram', 'youtube', 'more', 'next', 'previous', 'prev', 'back', 'top',
      'close', 'open', 'menu', 'search', 'register', 'reply', 'comment', 'comments', 'trending', 'navigation',
      'video', 'videos', 'photos', 'gallery', 'news', 'sport', 'sports', 'business', 'opinion', 'world',
      'politics', 'entertainment', 'lifestyle', 'weather', 'tech', 'technology', 'science', 'health', 'travel',
      'culture', 'music', 'movies', 'tv', 'blogs?', 'archives?', 'jobs', 'classifieds', 'local', 'national',
      'international', 'inicio', 'portada', 'startseite', 'accueil', 'главная', 'новости', 'noticias',
      'nachrichten', 'actualités',
    ],
  },
];

// Calls to action: a line that opens with an imperative ("Get", "Watch", "Sign up") and speaks
// to the reader ("you", "your", "our"), ends with "!" or ":" or carries an address; or a line
// that says "you" and ends with "!". A headline may open with a verb ("Download chart debut
// delayed"), so the imperative alone is not enough.
const CTA_VERBS =
  "get|find|watch|sign up|join|download|subscribe|try|click|tap|follow us|listen|visit|register|discover|enjoy|stream|shop|buy|don't miss|check out|learn more|donate|share|send us|tell us|start your|descarga|suscríbete|únete|mira|hol dir|jetzt|entdecke|découvrez|téléchargez|inscrivez";
// Two expressions: the imperative opening is anchored at the start (one attempt per line); the
// "you ... !" form can only match a line holding "!", so it is tried on those lines only.
const CALL_TO_ACTION_OPENING = new RegExp(
  `^[^\\p{L}\\p{N}]*(?:(?:now|even|also|just|and|so|then) )?(?:${CTA_VERBS})${R}` +
    `(?=.*(?:${L}(?:you|your|our|us|tu|su|nuestro|ihr|ihre|unser|votre|notre)${R}|[!:]\\s*$|www\\.|\\.com${R}|https?:))`,
  'u',
);
const CALL_TO_ACTION_EXCLAIMED = new RegExp(`${L}(?:you|your)${R}[^.?]*!\\s*$`, 'u');

/** Whether a normalised line reads like a call to action. */
export function isCallToAction(normalised: string): boolean {
  return (
    CALL_TO_ACTION_OPENING.test(normalised) ||
    (normalised.includes('!') && CALL_TO_ACTION_EXCLAIMED.test(normalised))
  );
}

export interface CompiledCues {
  category: BoilerplateCategory;
  short: RegExp;
  whole: RegExp | null;
}

function alternation(parts: readonly string[]): string {
  return parts.map((p) => `(?:${p})`).join('|');
}

/** Short and whole tiers, compiled once. Order is the priority when several categories match. */
export const CUES: readonly CompiledCues[] = SOURCES.map((s) => ({
  category: s.category,
  short: new RegExp(`${L}(?:${alternation(s.short)})${R}`, 'u'),
  // Leading/trailing punctuation and symbols (bullets, pipes, arrows, colons) are ignored.
  whole:
    s.whole.length > 0
      ? new RegExp(`^[^\\p{L}\\p{N}]*(?:${alternation(s.whole)})[^\\p{L}\\p{N}]*$`, 'u')
      : null,
}));

// One expression per tier that matches where any category's does: most short lines match no
// cue, and one test rules out every category at once. Only a line that passes is matched
// category by category (in priority order, as before).
const ANY_SHORT = new RegExp(`${L}(?:${alternation(SOURCES.flatMap((s) => s.short))})${R}`, 'u');
const ANY_WHOLE = new RegExp(
  `^[^\\p{L}\\p{N}]*(?:${alternation(SOURCES.flatMap((s) => s.whole))})[^\\p{L}\\p{N}]*$`,
  'u',
);

const CATEGORY_ORDER = new Map<BoilerplateCategory, number>(SOURCES.map((s, i) => [s.category, i]));

// The strong tier is checked on every line, long paragraphs included, so it is indexed: a
// pattern that opens with a literal word (or a group of literal words) is only tried on lines
// holding one of those words as a token; a pattern anchored at the line start is tried at the
// start only; a pattern that opens with a literal symbol ("©", "(") only on lines holding it.
export interface StrongCue {
  category: BoilerplateCategory;
  pattern: RegExp;
  /** Priority of the category (CATEGORY_ORDER): the lowest wins when several cues match. */
  order: number;
  /** Index in STRONG_CUES. */
  id: number;
}

/**
 * Words every match of a pattern contains as whole tokens, or null when none can be read off
 * the pattern. Candidates are the literal words outside groups (bounded by spaces, the ends of
 * the pattern or a separator the tokeniser splits on, and not made optional) and an opening group
 * of literal alternatives; the rarest-looking one wins (not a stopword, then the longest), so
 * the pattern is tried on as few lines as possible.
 */
export function triggerWords(pattern: string, isCommon: (word: string) => boolean = () => false): string[] | null {
  const candidates: string[][] = [];
  const boundedAt = (start: number, end: number): boolean => {
    const before = start === 0 ? ' ' : pattern.charAt(start - 1);
    const after = pattern.charAt(end);
    const afterNext = pattern.charAt(end + 1);
    return (
      // Preceded by a space, the pattern's start, or a literal separator ("\\(", ";").
      (before === ' ' || (start === 1 && before === '^') || (start >= 2 && pattern.charAt(start - 2) === '\\') || before === ';') &&
      (after === '' || after === ' ' || (/[:'/-]/.test(after) && !/[?*+{]/.test(afterNext)))
    );
  };
  let depth = 0;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') {
      while (i < pattern.length && pattern.charAt(i) !== ']') i += pattern.charAt(i) === '\\' ? 2 : 1;
      i++;
      continue;
    }
    // A group of literal alternatives, "(?:articles|stories)", is one candidate.
    const group = depth === 0 && c === '(' ? /^\(\?:([\p{L}\p{N}|]+)\)/u.exec(pattern.slice(i)) : null;
    if (group) {
      const end = i + group[0].length;
      if (boundedAt(i, end)) candidates.push((group[1] as string).split('|'));
      i = end;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return null; // a top-level alternation: nothing is required
    const word = depth === 0 ? /^[\p{L}\p{N}]+/u.exec(pattern.slice(i)) : null;
    if (word) {
      const end = i + word[0].length;
      if (boundedAt(i, end)) candidates.push([word[0]]);
      i = end;
      continue;
    }
    i++;
  }
  if (candidates.length === 0) return null;
  const cost = (words: readonly string[]): number =>
    words.reduce((sum, w) => sum + (isCommon(w) ? 100 : 0) + 10 / w.length, 0);
  return candidates.reduce((best, c) => (cost(c) < cost(best) ? c : best));
}

// Frequent words missing from the stopword lists: poor triggers.
const FREQUENT = new Set(['may', 'not', 'by', 'is', 'at', 'back', 'also', 'page', 'more', 'start', 'sign', 'follow', 'make']);

/** The literal symbol a pattern opens with ("©", "\\(" for "("), or null. */
function triggerSymbol(pattern: string): string | null {
  const escaped = /^\\([^\p{L}\p{N}])/u.exec(pattern);
  if (escaped) return escaped[1] as string;
  const symbol = /^[^\p{L}\p{N}\\^(\[.?*+{|$ ]/u.exec(pattern);
  if (symbol && !/[?*+{]/.test(pattern.charAt(symbol[0].length))) return symbol[0];
  return null;
}

/** Strong cues by trigger word (a token of the normalised line). */
export const STRONG_BY_WORD: ReadonlyMap<string, readonly StrongCue[]> = new Map();
/** Every strong cue, by id. */
export const STRONG_CUES: readonly StrongCue[] = [];
const BY_SYMBOL: { symbol: string; cue: StrongCue }[] = [];
const ANCHORED: StrongCue[] = [];
const ALWAYS: StrongCue[] = [];
for (const s of SOURCES) {
  for (const p of s.strong) {
    // No \\p{…} boundaries here (compiling them into a hundred expressions is slow at start-up):
    // boundaries are checked by findWhole.
    const cue: StrongCue = {
      category: s.category,
      pattern: new RegExp(`(?:${p})`, 'gu'),
      order: CATEGORY_ORDER.get(s.category) as number,
      id: STRONG_CUES.length,
    };
    (STRONG_CUES as StrongCue[]).push(cue);
    const words = triggerWords(p, (w) => STOPWORD_BITS.has(w) || FREQUENT.has(w));
    const symbol = words ? null : triggerSymbol(p);
    if (words) {
      const byWord = STRONG_BY_WORD as Map<string, StrongCue[]>;
      for (const w of words) byWord.set(w, [...(byWord.get(w) ?? []), cue]);
    } else if (symbol) BY_SYMBOL.push({ symbol, cue });
    else if (p.startsWith('^')) ANCHORED.push(cue);
    else ALWAYS.push(cue);
  }
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether s[i] is a letter or digit (false outside the string). */
function isWordChar(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return WORD_CHAR.test(s.charAt(i));
}

/**
 * The first match of a global pattern that does not start or end inside a word (a match that
 * begins or ends with a letter must not touch another letter), like \\b for every script.
 */
function findWhole(pattern: RegExp, s: string): RegExpExecArray | null {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(s); m !== null; m = pattern.exec(s)) {
    const start = m.index;
    const end = start + m[0].length;
    const leftOk = !isWordChar(s, start) || !isWordChar(s, start - 1);
    const rightOk = m[0].length === 0 || !isWordChar(s, end - 1) || !isWordChar(s, end);
    if (leftOk && rightOk && m[0].length > 0) return m;
    pattern.lastIndex = start + 1;
  }
  return null;
}

/** Number of strong patterns tried on every line whatever it holds (kept at zero for speed). */
export const ALWAYS_TRIED = ALWAYS.length;

export interface CueMatch {
  category: BoilerplateCategory;
  /** The matched text, for the reason string. */
  text: string;
  /** 'strong' cues hold in lines of any length, the others only in short lines. */
  tier: 'strong' | 'short' | 'whole';
}

/**
 * The cue matching a normalised line, if any: strong cues first, then whole-line and short-line
 * cues for short lines; among strong cues, the category listed first wins. `triggered` holds the
 * STRONG_BY_WORD entries of the line's tokens.
 */
export function matchCue(
  normalised: string,
  words: number,
  triggered: readonly (readonly StrongCue[])[],
): CueMatch | null {
  const flat: StrongCue[] = [];
  for (const list of triggered) for (const cue of list) flat.push(cue);
  return matchCueOf(normalised, words, flat, 0, flat.length);
}

/** matchCue with the triggered strong cues given as `triggered[from .. to)`, in token order. */
export function matchCueOf(
  normalised: string,
  words: number,
  triggered: readonly StrongCue[],
  from: number,
  to: number,
): CueMatch | null {
  let best: StrongCue | null = null;
  let bestText = '';
  let bestOrder = Infinity;
  for (let k = from; k < to; k++) {
    const cue = triggered[k] as StrongCue;
    if (cue.order >= bestOrder) continue;
    const hit = findWhole(cue.pattern, normalised);
    if (hit) {
      best = cue;
      bestText = hit[0];
      bestOrder = cue.order;
    }
  }
  for (let k = 0; k < BY_SYMBOL.length; k++) {
    const { symbol, cue } = BY_SYMBOL[k] as { symbol: string; cue: StrongCue };
    if (cue.order >= bestOrder || !normalised.includes(symbol)) continue;
    const hit = findWhole(cue.pattern, normalised);
    if (hit) {
      best = cue;
      bestText = hit[0];
      bestOrder = cue.order;
    }
  }
  for (let k = 0; k < ANCHORED.length + ALWAYS.length; k++) {
    const cue = (k < ANCHORED.length ? ANCHORED[k] : ALWAYS[k - ANCHORED.length]) as StrongCue;
    if (cue.order >= bestOrder) continue;
    const hit = findWhole(cue.pattern, normalised);
    if (hit) {
      best = cue;
      bestText = hit[0];
      bestOrder = cue.order;
    }
  }
  if (best) return { category: best.category, text: bestText, tier: 'strong' };
  if (words <= WHOLE_CUE_MAX_WORDS && ANY_WHOLE.test(normalised)) {
    for (const c of CUES) {
      if (c.whole && c.whole.test(normalised)) {
        return { category: c.category, text: normalised.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''), tier: 'whole' };
      }
    }
  }
  if (words <= SHORT_CUE_MAX_WORDS && ANY_SHORT.test(normalised)) {
    for (const c of CUES) {
      const hit = c.short.exec(normalised);
      if (hit) return { category: c.category, text: hit[0], tier: 'short' };
    }
  }
  return null;
}
