// A made-up corpus for the Parquet paths (dedupe sketch shards, index export): own texts only.
import { seededRandom } from './random.js';

/**
 * Own texts: articles, near-duplicates at several edit rates, identical copies (byte for byte,
 * and by words only), and short pages whose body is too small to trust. File name → text; the
 * same on every call.
 */
export function shardCorpus(seed = 12): Map<string, string> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vor', 'el', 'din', 'pa', 'qui', 'zo', 'bel', 'tam', 'ur', 'fen', 'gri', 'hol', 'nes', 'wy'];
  const WORDS = Array.from({ length: 3000 }, () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(SYLLABLES)).join(''));
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(random() * 10) }, () => pick(WORDS));
    return `${words.join(' ').replace(/^./, (c) => c.toUpperCase())}.`;
  };
  const paragraph = () => Array.from({ length: 2 + Math.floor(random() * 3) }, sentence).join(' ');
  const article = (paragraphs: number) => Array.from({ length: paragraphs }, paragraph);
  /** Replace about `share` of the words: a near-duplicate (or, with enough edits, not one). */
  const edit = (lines: readonly string[], share: number) => lines.map((line) => line.replace(/[a-z]+/g, (w) => (random() < share ? pick(WORDS) : w)));
  const FOOTERS = [
    ['Subscribe to our newsletter for the morning briefing, delivered free every weekday.', '© 2025 Harbour Gazette Media Ltd. All rights reserved.'],
    ['Follow us on social media and share your stories with the news desk.', 'Copyright 2025 Valley Courier. All rights reserved.'],
    ['The author is a staff reporter covering regional affairs.'],
  ];

  const files = new Map<string, string>();
  for (let i = 0; i < 36; i++) {
    const body = article(5 + (i % 6));
    const footer = i % 3 === 0 ? [] : pick(FOOTERS);
    const text = [...body, ...footer].join('\n') + '\n';
    files.set(`a${String(i).padStart(2, '0')}.txt`, text);
    if (i % 4 === 0) files.set(`a${String(i).padStart(2, '0')}-near.txt`, [...edit(body, 0.02), ...pick(FOOTERS)].join('\n') + '\n');
    if (i % 6 === 1) files.set(`a${String(i).padStart(2, '0')}-edited.txt`, [...edit(body, 0.06)].join('\n') + '\n');
    if (i % 9 === 2) files.set(`a${String(i).padStart(2, '0')}-far.txt`, [...edit(body, 0.3), ...footer].join('\n') + '\n');
    if (i % 5 === 0) files.set(`b${String(i).padStart(2, '0')}-copy.txt`, text);
    if (i % 7 === 3) files.set(`b${String(i).padStart(2, '0')}-shouted.txt`, text.toUpperCase().replace(/\./g, '!'));
  }
  // Pages whose detected body is too small to trust: compared on their full text.
  const promo = ['Home | News | Sport | Weather | Contact', 'Subscribe now for unlimited access to every story.', 'Sign up for our newsletter.'];
  for (let i = 0; i < 6; i++) {
    const text = [...promo, sentence(), ...promo.map((l) => `${l} ${pick(WORDS)}`), '© 2025 Example Media. All rights reserved.'].join('\n') + '\n';
    files.set(`c${i}.txt`, text);
    if (i < 3) files.set(`c${i}-copy.txt`, text.replace('Home', 'HOME'));
  }
  files.set('empty.txt', '');
  files.set('blank.txt', '\n  \n');
  return files;
}
