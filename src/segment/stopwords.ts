// Stopword lists for the jusText-style "stopword density" feature. Lists are loaded once, at
// module load, from natural's per-language modules (never natural's package root, which is slow
// and prints to stdout). natural has no German list, so a short one is given inline.
import { words as en } from 'natural/lib/natural/util/stopwords.js';
import { words as es } from 'natural/lib/natural/util/stopwords_es.js';
import { words as fr } from 'natural/lib/natural/util/stopwords_fr.js';
import { words as it } from 'natural/lib/natural/util/stopwords_it.js';
import { words as nl } from 'natural/lib/natural/util/stopwords_nl.js';
import { words as no } from 'natural/lib/natural/util/stopwords_no.js';
import { words as pl } from 'natural/lib/natural/util/stopwords_pl.js';
import { words as pt } from 'natural/lib/natural/util/stopwords_pt.js';
import { words as ru } from 'natural/lib/natural/util/stopwords_ru.js';
import { words as sv } from 'natural/lib/natural/util/stopwords_sv.js';
import { words as uk } from 'natural/lib/natural/util/stopwords_uk.js';
import { words as id } from 'natural/lib/natural/util/stopwords_id.js';
import { words as fa } from 'natural/lib/natural/util/stopwords_fa.js';

const de = (
  'aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei bin bis ' +
  'bist da damit dann das dass dem den denn der des die dies diese diesem diesen dieser dieses doch ' +
  'dort du durch ein eine einem einen einer eines er es etwas für gegen gewesen hab habe haben hat ' +
  'hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre im in ist jede jedem jeden jeder jedes ' +
  'jetzt kann kein keine können man manche mehr mein mit muss nach nicht nichts noch nun nur ob ' +
  'oder ohne schon sehr sein seine sich sie sind so soll sollte sondern über um und uns unser unter ' +
  'vom von vor war waren warum was weil welche wenn wer werden wie wieder will wir wird wo wurde ' +
  'wurden zu zum zur zwar zwischen'
).split(' ');

/** Languages with a stopword list, in a fixed order (ties go to the earlier one). */
export const STOPWORD_LANGUAGES = [
  'en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'ru', 'uk', 'pl', 'sv', 'no', 'id', 'fa',
] as const;
export type StopwordLanguage = (typeof STOPWORD_LANGUAGES)[number];

const RAW: Record<StopwordLanguage, readonly string[]> = {
  en, es, fr, de, it, pt, nl, ru, uk, pl, sv, no, id, fa,
};

// Lists are lower-cased and NFKC-normalised so they match normaliseText output.
const SETS = new Map<StopwordLanguage, ReadonlySet<string>>(
  STOPWORD_LANGUAGES.map((lang) => [
    lang,
    new Set(RAW[lang].map((w) => w.normalize('NFKC').toLowerCase())),
  ]),
);

/** The stopword set of a language. */
export function stopwordSet(lang: StopwordLanguage): ReadonlySet<string> {
  return SETS.get(lang) as ReadonlySet<string>;
}

/**
 * word -> bit set of the languages whose list holds it (bit i = STOPWORD_LANGUAGES[i]), so one
 * lookup per token serves both the language vote and the stopword density.
 */
export const STOPWORD_BITS: ReadonlyMap<string, number> = (() => {
  const bits = new Map<string, number>();
  STOPWORD_LANGUAGES.forEach((lang, l) => {
    for (const w of SETS.get(lang) as ReadonlySet<string>) bits.set(w, (bits.get(w) ?? 0) | (1 << l));
  });
  return bits;
})();

/** Whether a token takes part in the language vote (several lists hold letters and digits). */
export function votes(token: string): boolean {
  const c = token.charCodeAt(0);
  return token.length >= 2 && !(c >= 48 && c <= 57);
}

/** The language with most votes (ties go to the earlier one; English when nothing matched). */
export function pickLanguage(votesPerLanguage: ArrayLike<number>): StopwordLanguage {
  let best = 0;
  for (let l = 1; l < STOPWORD_LANGUAGES.length; l++) if ((votesPerLanguage[l] as number) > (votesPerLanguage[best] as number)) best = l;
  return STOPWORD_LANGUAGES[best] as StopwordLanguage;
}
