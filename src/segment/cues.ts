// Cue phrases per boilerplate category, matched on normalised text (normaliseText: NFKC,
// lower case, quotes and dashes unified, whitespace collapsed). English first, with the most
// common equivalents in Spanish, German, French, Italian, Portuguese and Russian.
//
// Each category has three tiers, compiled once:
// - `strong`: phrases that mark boilerplate in a line of any length ("all rights reserved");
// - `short`: phrases that mark boilerplate only in a short line (a sentence of an article may
//   say "read more" or "subscribe", a 6-word line that says so is a call to action);
// - `whole`: the whole short line is the phrase (menu items such as "Home" or "Print").

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
      '©', 'all rights reserved', 'copyright \\d{4}', 'copyright ©', '\\(c\\) \\d{4}',
      'terms of (?:use|service)', 'privacy (?:policy|notice|statement)', 'cookie policy',
      'uses? cookies', 'accept (?:all )?cookies', 'cookie settings', 'manage cookies',
      'may not be (?:published|reproduced|redistributed)', 'without (?:the )?(?:prior )?written permission',
      'todos los derechos reservados', 'alle rechte vorbehalten', 'tous droits réservés',
      'tutti i diritti riservati', 'todos os direitos reservados', 'все права защищены',
      'política de privacidad', 'aviso legal', 'datenschutzerklärung', 'mentions légales',
      'politique de confidentialité', 'política de privacidade',
    ],
    short: [
      'copyright', 'terms (?:and|&) conditions', 'terms', 'privacy', 'cookies?', 'disclaimer',
      'impressum', 'datenschutz', 'agb', 'legal notice', 'accessibility',
    ],
    whole: [],
  },
  {
    category: 'newsletter',
    strong: [
      'newsletters?', 'sign up for (?:our|the) (?:\\w+ )?(?:email|e-mail|newsletter|briefing)',
      '(?:delivered|straight|direct) (?:to|into) your inbox', 'in your inbox',
      'enter your e-?mail', 'your e-?mail address', 'e-?mail alerts?', 'boletín', 'рассылк\\w*',
    ],
    short: ['daily briefing', 'weekly briefing', 'morning briefing', 'get our (?:daily|weekly)'],
    whole: [],
  },
  {
    category: 'promo',
    strong: [
      'free trial', 'subscribe (?:now|today|here)', 'start your (?:free )?(?:trial|subscription)',
      'subscribers? only', 'become a (?:member|subscriber|supporter)', 'unlimited (?:digital )?access',
      'support (?:our|independent|quality) journalism', 'donate (?:now|today)', 'make a donation',
      'download (?:the|our) (?:free )?app', 'get (?:the|our) app', 'available on the app store',
      'google play', 'limited[- ]time offer', 'special offer', 'best offer', 'sponsored (?:content|by|post)',
      'paid (?:content|post|partner)', 'advertisement', 'advertising feature', 'click here to (?:buy|order|subscribe|get)',
      'buy now', 'shop now', 'order now', 'watch (?:it )?(?:live|now)', 'streaming channel', 'stream (?:it )?(?:live|now)',
      'suscríbete', 'jetzt abonnieren', "abonnez-vous", 'abbonati', 'assine', 'подпишитесь', 'anzeige',
      'publicidad', 'publicité', 'werbung',
    ],
    short: [
      'subscribe', 'subscription', 'sign up', 'join now', 'get it (?:now|today)', 'try it free',
      'advertise(?: with us)?', 'ads? by', 'promoted', 'sponsored', 'donate', 'win (?:a|an) ', 'offer',
      'deals?', 'sale', 'discount', '\\d+% off', 'go here now', 'learn more', 'find out more',
    ],
    whole: ['ad', 'ads', 'advert', 'sponsor(?:ed)?'],
  },
  {
    category: 'credit',
    strong: [
      '(?:contributed|added) (?:to )?(?:this|the) (?:report|story|article)', 'contributed reporting',
      'additional reporting(?: by)?', '(?:reporting|writing|editing) by', 'via getty images', 'getty images',
      '\\((?:ap|afp|reuters|epa|upi|ansa|efe|dpa|xinhua)(?: photo/|/| photo)', '(?:ap|afp|epa|reuters) photo',
      '(?:photo|image|picture|video|graphic|illustration)s? (?:by|credit|courtesy|source)',
      '(?:photo|image|picture)s?: ', 'courtesy of', 'shutterstock', 'istock(?:photo)?', 'file photo',
      'foto: ', 'fotos: ', 'bild: ', 'фото: ', 'crédito: ', 'quelle: ',
    ],
    short: ['^(?:photos?|images?|pictures?|video|source|sources|credit|credits)(?: by)?: '],
    whole: [
      'associated press', 'reuters', 'agence france-presse', 'the canadian press', 'press association',
      'afp', 'ap', 'epa', 'dpa', 'efe', 'upi', 'xinhua', 'bloomberg', 'pool',
    ],
  },
  {
    category: 'bio',
    strong: [
      '✉',
      'is an? (?:\\w+ ){0,3}(?:writer|reporter|correspondent|editor|columnist|contributor|journalist|producer|blogger)(?: and [a-z]+)? (?:for|at|with|based)',
      'follow (?:him|her|them|me) on', '(?:email|e-mail|contact|reach) (?:him|her|them|the (?:author|writer|reporter)) at',
      'contact the (?:author|writer|reporter)', 'about the author', 'more (?:articles|stories) by',
    ],
    short: ['^by [\\p{L}.\'-]+(?: [\\p{L}.\'-]+){0,3}(?: (?:and|&) [\\p{L}.\'-]+(?: [\\p{L}.\'-]+){0,2})?$', 'staff (?:writer|reporter)', 'correspondent$', 'columnist$'],
    whole: [],
  },
  {
    category: 'navigation',
    strong: [
      'skip to (?:main )?content', 'back to top', 'you (?:may|might) also like', 'recommended for you',
      'most (?:read|popular|viewed|shared|commented|emailed)', 'related (?:articles|stories|content|news|coverage|links|topics|posts)',
      '(?:leave|post|add|write|submit) (?:a|your) comment', 'comments? (?:are|is) closed', 'log in to comment',
      'be the first to comment', 'join the (?:conversation|discussion)', 'share (?:this|on) (?:article|story|page|facebook|twitter|x|linkedin)',
      'share this', 'page \\d+ of \\d+', 'lea también', 'lee también', 'leer más', 'mehr zum thema', 'lesen sie auch',
      'lire aussi', 'à lire aussi', 'leggi anche', 'leia também', 'читайте также', 'по теме',
    ],
    short: [
      'read more', 'more from', 'more on (?:this|these)', 'see also', 'also read', 'read next', 'watch:', 'listen:',
      'top stories', 'latest (?:news|stories|headlines)', 'trending', 'editors?\'? picks?', 'more stories', 'more news',
      'comments?', 'reply', 'permalink', 'report abuse', 'posted (?:by|on|at|in)', 'sort by', 'tags?:', 'topics?:',
      'filed under', 'categor(?:y|ies):', 'next (?:article|story|page|post)', 'previous (?:article|story|page|post)',
      '(?:email|e-mail|print|save|share) (?:this|article|story)', 'font size', 'text size', 'contact us', 'about us',
      'site ?map', 'rss', 'home ?page', 'search', 'log ?in', 'sign in', 'register', 'menu', 'navigation',
      'compartir', 'comentarios', 'teilen', 'kommentare', 'partager', 'commentaires', 'commenti', 'comentários',
      'поделиться', 'комментари\\w*',
    ],
    whole: [
      'home', 'print', 'email', 'e-mail', 'share', 'tweet', 'facebook', 'twitter', 'linkedin', 'whatsapp',
      'reddit', 'pinterest', 'instagram', 'youtube', 'more', 'next', 'previous', 'prev', 'back', 'top',
      'close', 'open', 'video', 'videos', 'photos', 'gallery', 'news', 'sport', 'sports', 'business',
      'opinion', 'world', 'politics', 'entertainment', 'lifestyle', 'weather', 'tech', 'technology',
      'science', 'health', 'travel', 'culture', 'music', 'movies', 'tv', 'blogs?', 'archives?', 'jobs',
      'classifieds', 'local', 'national', 'international', 'inicio', 'portada', 'startseite', 'accueil',
      'главная', 'новости', 'noticias', 'nachrichten', 'actualités',
    ],
  },
];

// Calls to action: a line that opens with an imperative ("Get", "Watch", "Sign up") or speaks to
// the reader ("you", "your") and ends with "!". News sentences seldom do either.
const CALL_TO_ACTION = new RegExp(
  `^[^\\p{L}\\p{N}]*(?:(?:now|even|also|just|and|so|then) )?(?:get|find|watch|sign up|join|download|subscribe|try|click|tap|follow us|listen|visit|register|discover|enjoy|stream|shop|buy|don't miss|check out|learn more|donate|share|send us|tell us|start your|descarga|suscríbete|únete|mira|hol dir|jetzt|entdecke|découvrez|téléchargez|inscrivez)${R}` +
    `|${L}(?:you|your)${R}[^.?]*!\\s*$`,
  'u',
);

/** Whether a normalised line reads like a call to action. */
export function isCallToAction(normalised: string): boolean {
  return CALL_TO_ACTION.test(normalised);
}

export interface CompiledCues {
  category: BoilerplateCategory;
  strong: RegExp;
  short: RegExp;
  whole: RegExp | null;
}

function alternation(parts: readonly string[]): string {
  return parts.map((p) => `(?:${p})`).join('|');
}

/** Compiled once at module load. Order is the priority when several categories match. */
export const CUES: readonly CompiledCues[] = SOURCES.map((s) => ({
  category: s.category,
  strong: new RegExp(`${L}(?:${alternation(s.strong)})${R}`, 'u'),
  short: new RegExp(`${L}(?:${alternation(s.short)})${R}`, 'u'),
  // Leading/trailing punctuation and symbols (bullets, pipes, arrows, colons) are ignored.
  whole:
    s.whole.length > 0
      ? new RegExp(`^[^\\p{L}\\p{N}]*(?:${alternation(s.whole)})[^\\p{L}\\p{N}]*$`, 'u')
      : null,
}));

export interface CueMatch {
  category: BoilerplateCategory;
  /** The matched text, for the reason string. */
  text: string;
  /** 'strong' cues hold in lines of any length. */
  tier: 'strong' | 'short' | 'whole';
}

/** The first cue (in category priority order) matching a normalised line of `words` words. */
export function matchCue(normalised: string, words: number): CueMatch | null {
  for (const c of CUES) {
    const m = c.strong.exec(normalised);
    if (m) return { category: c.category, text: m[0], tier: 'strong' };
  }
  if (words <= WHOLE_CUE_MAX_WORDS) {
    for (const c of CUES) {
      if (c.whole && c.whole.test(normalised)) {
        return { category: c.category, text: normalised.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''), tier: 'whole' };
      }
    }
  }
  if (words <= SHORT_CUE_MAX_WORDS) {
    for (const c of CUES) {
      const m = c.short.exec(normalised);
      if (m) return { category: c.category, text: m[0], tier: 'short' };
    }
  }
  return null;
}
