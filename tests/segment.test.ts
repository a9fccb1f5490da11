import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseText, splitLines } from '../src/normalise/normalise.js';
import { tokenise } from '../src/tokenise/tokenise.js';
import { prepareDocument, preview } from '../src/core/document.js';
import {
  classifyLines,
  findTemplateLines,
  mergeSegments,
  segmentDocument,
  segmentLines,
  TEMPLATE_MAX_WORDS,
  type LineEvidence,
  type LineLabel,
  type Segment,
} from '../src/segment/index.js';
import { ALWAYS_TRIED, isCallToAction, matchCue, triggerWords } from '../src/segment/cues.js';
import { extractFeatures } from '../src/segment/features.js';

const SEEDS = join(import.meta.dirname, '..', 'fixtures', 'seeds');

function seed(prefix: string): string[] {
  const file = readdirSync(SEEDS).find((f) => f.startsWith(prefix) && f.endsWith('.txt'));
  if (!file) throw new Error(`no seed ${prefix}`);
  return splitLines(readFileSync(join(SEEDS, file), 'utf8'));
}

/** Index of the first line that starts with `start`. */
function lineOf(lines: readonly string[], start: string): number {
  const i = lines.findIndex((l) => l.startsWith(start));
  if (i < 0) throw new Error(`no line starting with ${start}`);
  return i;
}

const kindOf = (labels: readonly LineLabel[], i: number) => labels[i]?.kind;
const categoryOf = (labels: readonly LineLabel[], i: number) => labels[i]?.category;

/** Label of the line whose text starts with `start`. */
function labelOf(lines: readonly string[], labels: readonly LineLabel[], start: string): LineLabel {
  return labels[lineOf(lines, start)] as LineLabel;
}

// Paragraphs written for these tests, in the style of a wire story.
const PARAGRAPHS = [
  'The city council voted on Tuesday to expand the night bus network, saying that the changes would help shift workers who have struggled to get home since the last rail service was cut in the spring.',
  'Officials said the first new routes would start running in March and that the cost would be covered by a grant from the regional transport authority, which has been under pressure to improve services.',
  '"We have listened to the people who keep this city running at night, and this is what they asked for," the council leader told reporters after the vote, adding that more routes could follow next year.',
  'Opposition members said the plan did not go far enough and called for a review of fares, which have risen three times since 2021 and are now among the highest in the country for comparable journeys.',
  'The transport authority is expected to publish a timetable for the new routes at the end of the month, after a consultation with unions and with the companies that operate the existing bus services.',
];

describe('seed acceptance checks', () => {
  it('000: article body, the NEWSMAX+ promo block, the bio and the legal line', () => {
    const lines = seed('000');
    const labels = classifyLines(lines);
    expect(labels).toHaveLength(lines.length);
    for (let i = 0; i < 5; i++) expect(kindOf(labels, i), `line ${i + 1}`).toBe('body');
    const first = lineOf(lines, 'GET TODAY NEWSMAX+:');
    const last = lineOf(lines, 'Start your FREE trial now: NewsmaxPlus.com');
    expect(last).toBeGreaterThan(first);
    for (let i = first; i <= last; i++) {
      if (lines[i]?.trim() === '') continue;
      expect(kindOf(labels, i), `line ${i + 1}: ${lines[i]}`).toBe('boilerplate');
      expect(categoryOf(labels, i), `line ${i + 1}: ${lines[i]}`).toBe('promo');
    }
    const byline = lineOf(lines, 'Solange Reyner ✉');
    expect(labels[byline]).toMatchObject({ kind: 'boilerplate', category: 'bio' });
    expect(labels[byline + 1]).toMatchObject({ kind: 'boilerplate', category: 'bio' });
    expect(labelOf(lines, labels, '© 2025 Newsmax. All rights reserved.')).toMatchObject({
      kind: 'boilerplate',
      category: 'legal',
    });
  });

  it('001: the same article with blank lines between paragraphs', () => {
    const lines = seed('001');
    const labels = classifyLines(lines);
    const first = lineOf(lines, 'GET TODAY NEWSMAX+:');
    const last = lineOf(lines, 'Start your FREE trial now: NewsmaxPlus.com');
    lines.forEach((line, i) => {
      if (line.trim() === '') {
        expect(kindOf(labels, i)).toBe('blank');
      } else if (i < first) {
        expect(kindOf(labels, i), `line ${i + 1}`).toBe('body');
      } else if (i <= last) {
        expect(labels[i], `line ${i + 1}: ${line}`).toMatchObject({ kind: 'boilerplate', category: 'promo' });
      }
    });
    const body = lines.filter((l, i) => l.trim() !== '' && i < first);
    expect(body).toHaveLength(5);
    // Blank lines inside the promo block do not split its segment.
    const segments = mergeSegments(labels);
    expect(segments).toContainEqual(
      expect.objectContaining({ startLine: first + 1, endLine: last + 1, kind: 'boilerplate', category: 'promo' }),
    );
  });

  it('002: the photo credit is credit, everything else (headings included) is body', () => {
    const lines = seed('002');
    const labels = classifyLines(lines);
    const credit = lineOf(lines, 'ROBERTO SCHMIDT/AFP via Getty Images;');
    expect(labels[credit]).toMatchObject({ kind: 'boilerplate', category: 'credit' });
    for (const heading of ['Why It Matters', 'What to Know', 'What People Are Saying', 'What’s Next']) {
      expect(kindOf(labels, lineOf(lines, heading)), heading).toBe('body');
    }
    lines.forEach((line, i) => {
      if (i !== credit && line.trim() !== '') expect(kindOf(labels, i), `line ${i + 1}: ${line}`).toBe('body');
    });
  });

  it('003: an article without boilerplate is all body', () => {
    const lines = seed('003');
    const { labels, segments } = segmentDocument(lines);
    for (const [i, line] of lines.entries()) if (line.trim() !== '') expect(kindOf(labels, i)).toBe('body');
    expect(segments).toEqual([expect.objectContaining({ startLine: 1, endLine: lines.length, kind: 'body' })]);
  });
});

describe('boilerplate in other styles', () => {
  it('wire and photo credits', () => {
    const lines = [
      'Council expands night bus network',
      ...PARAGRAPHS.slice(0, 2),
      'A night bus waits at the central station in the early hours of Monday. (AP Photo/Jane Example)',
      ...PARAGRAPHS.slice(2),
      'Reuters contributed to this report.',
    ];
    const labels = classifyLines(lines);
    expect(labelOf(lines, labels, 'A night bus waits')).toMatchObject({ kind: 'boilerplate', category: 'credit' });
    expect(labelOf(lines, labels, 'Reuters contributed')).toMatchObject({ kind: 'boilerplate', category: 'credit' });
    expect(labelOf(lines, labels, 'Reuters contributed').reasons).toContain('cue:"contributed to this report"');
    for (const p of PARAGRAPHS) expect(labelOf(lines, labels, p).kind).toBe('body');
    // The headline just before the article is body.
    expect(kindOf(labels, 0)).toBe('body');
  });

  it('a dateline with an agency name is not a credit', () => {
    const lines = [
      'LONDON (Reuters) - ' + (PARAGRAPHS[0] as string),
      ...PARAGRAPHS.slice(1),
    ];
    const labels = classifyLines(lines);
    expect(labels.every((l) => l.kind === 'body')).toBe(true);
  });

  it('a newsletter box and a cookie notice after the article', () => {
    const lines = [
      ...PARAGRAPHS,
      'Sign up for our morning newsletter',
      'Get the day’s top stories delivered straight to your inbox.',
      'Enter your email address',
      'Subscribe',
      'We use cookies to give you the best experience on our website. By continuing to browse, you agree to our cookie policy.',
      'Accept',
    ];
    const labels = classifyLines(lines);
    for (const p of PARAGRAPHS) expect(labelOf(lines, labels, p).kind).toBe('body');
    for (const start of ['Sign up for our morning newsletter', 'Get the day', 'Enter your email address']) {
      expect(labelOf(lines, labels, start), start).toMatchObject({ kind: 'boilerplate', category: 'newsletter' });
    }
    expect(labelOf(lines, labels, 'Subscribe').kind).toBe('boilerplate');
    expect(labelOf(lines, labels, 'We use cookies')).toMatchObject({ kind: 'boilerplate', category: 'legal' });
    expect(labelOf(lines, labels, 'Accept').kind).toBe('boilerplate');
  });

  it('a menu (one item per line), share buttons and comment prompts', () => {
    const menu = ['Home', 'News', 'Sport', 'Business', 'Opinion', 'Culture', 'Weather'];
    const share = ['Share', 'Tweet', 'Email', 'Print'];
    const comments = ['Comments (12)', 'Leave a comment', 'Be the first to comment on this story'];
    const lines = [...menu, 'Council expands night bus network', ...share, ...PARAGRAPHS, ...comments];
    const labels = classifyLines(lines);
    for (const item of [...menu, ...share, ...comments]) {
      expect(labelOf(lines, labels, item), item).toMatchObject({ kind: 'boilerplate', category: 'navigation' });
    }
    for (const p of PARAGRAPHS) expect(labelOf(lines, labels, p).kind).toBe('body');
    expect(labelOf(lines, labels, 'Council expands').kind).toBe('body');
    // The menu is one segment.
    const segments = mergeSegments(labels);
    expect(segments[0]).toMatchObject({ startLine: 1, endLine: menu.length, kind: 'boilerplate', category: 'navigation' });
  });

  it('related-story teasers after the article are navigation', () => {
    const lines = [
      ...PARAGRAPHS,
      'Related stories',
      'Rail operator warns of more weekend closures',
      'Fares rise for the third time in two years',
      'Mayor defends cuts to late-night services',
      'Read more: how the city plans to pay for its buses',
    ];
    const labels = classifyLines(lines);
    for (const p of PARAGRAPHS) expect(labelOf(lines, labels, p).kind).toBe('body');
    for (let i = PARAGRAPHS.length; i < lines.length; i++) {
      expect(labels[i], lines[i]).toMatchObject({ kind: 'boilerplate', category: 'navigation' });
    }
  });

  it('an author bio without "a" before the job title, or with a title beyond reporter and editor, is bio', () => {
    for (const bio of [
      'Maria Lindqvist is science correspondent for the Northern Courier and presents its weekly podcast.',
      'Tom Akers is a regular commentator on the Harbour Radio morning programme.',
    ]) {
      const labels = classifyLines([...PARAGRAPHS, bio]);
      expect(labels[PARAGRAPHS.length], bio).toMatchObject({ kind: 'boilerplate', category: 'bio' });
      expect(labels.slice(0, PARAGRAPHS.length).every((l) => l.kind === 'body')).toBe(true);
    }
  });

  it('headings inside an article stay body', () => {
    const lines = [PARAGRAPHS[0], 'What Happens Next', PARAGRAPHS[1], PARAGRAPHS[2], 'Why It Matters', PARAGRAPHS[3], PARAGRAPHS[4]] as string[];
    const labels = classifyLines(lines);
    expect(labels.every((l) => l.kind === 'body')).toBe(true);
  });

  it('a Spanish article with a Spanish footer', () => {
    const lines = [
      'El ayuntamiento amplía la red de autobuses nocturnos',
      'El pleno del ayuntamiento aprobó el martes ampliar la red de autobuses nocturnos, una medida que según el gobierno municipal ayudará a los trabajadores que terminan su turno después de la medianoche.',
      'Las primeras líneas nuevas empezarán a funcionar en marzo y el coste se cubrirá con una subvención del consorcio regional de transporte, que llevaba meses recibiendo quejas de los vecinos.',
      '"Hemos escuchado a las personas que mantienen viva la ciudad por la noche", dijo la alcaldesa a los periodistas al terminar la votación, y añadió que podrían llegar más líneas el próximo año.',
      'La oposición criticó que el plan no incluya una revisión de las tarifas, que han subido tres veces desde 2021 y se encuentran entre las más altas del país para trayectos comparables.',
      'Lee también: Las obras del metro obligan a cerrar dos estaciones este fin de semana',
      'Compartir',
      'Comentarios',
      '© 2025 Diario de Ejemplo. Todos los derechos reservados.',
      'Política de privacidad',
    ];
    const labels = classifyLines(lines);
    for (let i = 0; i < 5; i++) expect(kindOf(labels, i), lines[i]).toBe('body');
    expect(labels[5]).toMatchObject({ kind: 'boilerplate', category: 'navigation' });
    expect(labels[6]).toMatchObject({ kind: 'boilerplate', category: 'navigation' });
    expect(labels[7]).toMatchObject({ kind: 'boilerplate', category: 'navigation' });
    expect(labels[8]).toMatchObject({ kind: 'boilerplate', category: 'legal' });
    expect(labels[9]).toMatchObject({ kind: 'boilerplate', category: 'legal' });
    // Stopword density is measured with the Spanish list.
    expect(labels[1]?.reasons.find((r) => r.startsWith('stopword density'))).not.toBe('stopword density 0.00');
    expect(extractFeatures(lines).language).toBe('es'); // the language the classifier used
  });

  it('a Russian article with a Russian footer', () => {
    const lines = [
      'Городской совет проголосовал во вторник за расширение сети ночных автобусов, заявив, что это поможет людям, которые работают по ночам и не могут добраться домой после закрытия метро.',
      'По словам чиновников, первые новые маршруты начнут работать в марте, а расходы будут покрыты за счёт регионального бюджета, который в этом году был увеличен.',
      'Оппозиция заявила, что план не решает проблему высоких тарифов, которые с 2021 года поднимались уже три раза и сейчас одни из самых высоких в стране.',
      'Читайте также: В выходные закроют две станции метро',
      '© 2025 Пример. Все права защищены.',
    ];
    const labels = classifyLines(lines);
    for (let i = 0; i < 3; i++) expect(kindOf(labels, i)).toBe('body');
    expect(labels[3]).toMatchObject({ kind: 'boilerplate', category: 'navigation' });
    expect(labels[4]).toMatchObject({ kind: 'boilerplate', category: 'legal' });
    expect(extractFeatures(lines).language).toBe('ru'); // the language the classifier used
  });

  it('a German article: language vote and footer', () => {
    const lines = [
      'Der Stadtrat hat am Dienstag beschlossen, das Netz der Nachtbusse auszubauen, weil viele Menschen, die nachts arbeiten, seit dem Wegfall der letzten Bahn nicht mehr nach Hause kommen.',
      'Die ersten neuen Linien sollen im März starten, und die Kosten werden nach Angaben der Stadt aus einem Zuschuss des Verkehrsverbunds bezahlt, der seit Monaten in der Kritik steht.',
      'Alle Rechte vorbehalten.',
    ];
    const labels = classifyLines(lines);
    expect(kindOf(labels, 0)).toBe('body');
    expect(kindOf(labels, 1)).toBe('body');
    expect(labels[2]).toMatchObject({ kind: 'boilerplate', category: 'legal' });
    expect(extractFeatures(lines).language).toBe('de'); // the language the classifier used
  });

  it('a line found across the corpus is template boilerplate whatever its features', () => {
    const lines = [...PARAGRAPHS, 'Our reporters cover the city every day of the week, from the council chamber to the courts.'];
    const plain = classifyLines(lines);
    expect(kindOf(plain, 5)).toBe('body');
    const labels = classifyLines(lines, { templateCounts: new Map([[5, 14]]) });
    expect(labels[5]?.kind).toBe('boilerplate');
    expect(labels[5]?.reasons).toContain('repeated in 14 documents');
    expect(labels[5]?.confidence).toBeGreaterThanOrEqual(0.9);
  });
});

describe('labels and segments', () => {
  it('covers every line; blank lines are blank; confidence in [0, 1]; reasons present', () => {
    const lines = ['', ...seed('000'), '', '   '];
    const labels = classifyLines(lines);
    expect(labels).toHaveLength(lines.length);
    labels.forEach((l, i) => {
      expect(l.kind === 'blank').toBe((lines[i] as string).trim() === '');
      expect(l.confidence).toBeGreaterThanOrEqual(0);
      expect(l.confidence).toBeLessThanOrEqual(1);
      if (l.kind !== 'blank') expect(l.reasons.length).toBeGreaterThan(0);
      if (l.kind === 'boilerplate') expect(l.category).toBeDefined();
      if (l.kind === 'body') expect(l.category).toBeUndefined();
    });
  });

  it('every non-blank line lies in exactly one segment; segments do not overlap', () => {
    for (const prefix of ['000', '001', '002', '003']) {
      const lines = seed(prefix);
      const { labels, segments } = segmentDocument(lines);
      const owner = new Array<number>(lines.length).fill(-1);
      segments.forEach((s, k) => {
        expect(s.startLine).toBeLessThanOrEqual(s.endLine);
        if (k > 0) expect(s.startLine).toBeGreaterThan((segments[k - 1] as { endLine: number }).endLine);
        for (let line = s.startLine; line <= s.endLine; line++) {
          const label = labels[line - 1] as LineLabel;
          if (label.kind === 'blank') continue;
          expect(label.kind).toBe(s.kind);
          expect(label.category).toBe(s.category);
          owner[line - 1] = k;
        }
        // Segments start and end on non-blank lines.
        expect(labels[s.startLine - 1]?.kind).not.toBe('blank');
        expect(labels[s.endLine - 1]?.kind).not.toBe('blank');
      });
      lines.forEach((l, i) => expect(owner[i] >= 0).toBe(l.trim() !== ''));
    }
  });

  it('mergeSegments absorbs blank lines, splits on kind or category, and averages confidence', () => {
    const body = (c: number): LineLabel => ({ kind: 'body', confidence: c, reasons: ['b'] });
    const blank: LineLabel = { kind: 'blank', confidence: 1, reasons: [] };
    const promo: LineLabel = { kind: 'boilerplate', category: 'promo', confidence: 0.8, reasons: ['cue:"x"'] };
    const legal: LineLabel = { kind: 'boilerplate', category: 'legal', confidence: 0.9, reasons: ['cue:"©"'] };
    const segments = mergeSegments([blank, body(0.6), blank, body(1), blank, promo, promo, legal, blank]);
    expect(segments).toEqual([
      { startLine: 2, endLine: 4, kind: 'body', confidence: 0.8, reasons: ['b'] },
      { startLine: 6, endLine: 7, kind: 'boilerplate', category: 'promo', confidence: 0.8, reasons: ['cue:"x"'] },
      { startLine: 8, endLine: 8, kind: 'boilerplate', category: 'legal', confidence: 0.9, reasons: ['cue:"©"'] },
    ]);
    expect(mergeSegments([])).toEqual([]);
    expect(mergeSegments([blank, blank])).toEqual([]);
  });

  it('segment reasons: one entry per kind of evidence, aggregated over the lines', () => {
    const lines = seed('000');
    const { labels, segments } = segmentDocument(lines);
    const kindOfReason = (r: string) =>
      r.startsWith('cue:') ? 'cue' : r.startsWith('stopword density') ? 'stopwords' : /^\d+ words/.test(r) ? 'words' : r.replace(/ \(.*\)$/, '');
    for (const s of segments) {
      expect(s.reasons.length).toBeGreaterThan(0);
      expect(s.reasons.length).toBeLessThanOrEqual(6);
      const kinds = s.reasons.map(kindOfReason);
      expect(new Set(kinds).size, s.reasons.join('; ')).toBe(kinds.length);
    }
    // The promo block: its cue first, then the share of its lines that are calls to action.
    const first = lineOf(lines, 'GET TODAY NEWSMAX+:');
    const promo = segments.find((s) => s.startLine === first + 1) as Segment;
    expect(promo.category).toBe('promo');
    expect(promo.reasons[0]).toMatch(/^cue:"[^"]+"/);
    expect(promo.reasons).toContainEqual(expect.stringMatching(/^call to action \(\d+ of \d+ lines\)$/));
    // Means over the segment's lines: stopword density and words per line.
    const own = labels.slice(promo.startLine - 1, promo.endLine).filter((l) => l.kind !== 'blank');
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(promo.reasons).toContain(`stopword density ${mean(own.map((l) => l.evidence!.stopwordDensity)).toFixed(2)}`);
    expect(promo.reasons).toContain(`${Math.round(mean(own.map((l) => l.evidence!.words)))} words per line`);
    // The article: the main text block, with sentences ending in every line.
    expect(segments[0]?.reasons.slice(0, 2)).toEqual(['in the main text block', 'ends like a sentence']);
  });

  it('mergeSegments aggregates line evidence into readable reasons', () => {
    const evidence = (e: Partial<LineEvidence>): LineEvidence => ({
      context: -1, score: 0, words: 10, stopwordDensity: 0.3, linkDensity: 0, terminal: false, cue: null,
      callToAction: false, repeated: 0, ...e,
    });
    const bp = (e: Partial<LineEvidence>): LineLabel => ({
      kind: 'boilerplate', category: 'promo', confidence: 0.9, reasons: ['line reason'], evidence: evidence(e),
    });
    const body = (e: Partial<LineEvidence>): LineLabel => ({ kind: 'body', confidence: 0.9, reasons: ['line reason'], evidence: evidence(e) });
    const [promo, article] = mergeSegments([
      bp({ cue: 'free trial', words: 4, stopwordDensity: 0.25, repeated: 5 }),
      bp({ cue: 'subscribe', words: 2, stopwordDensity: 0 }),
      bp({ cue: 'free trial', words: 6, stopwordDensity: 0.5, repeated: 14 }),
      bp({ callToAction: true, words: 9, stopwordDensity: 0.4, linkDensity: 0.5, repeated: 3 }),
      bp({ context: 4, score: -1.5, words: 3, stopwordDensity: 0.1, linkDensity: 0.5 }),
      body({ context: 6, words: 7, stopwordDensity: 0.2 }),
      body({ context: 1, words: 40, stopwordDensity: 0.5, terminal: true }),
      body({ context: 1, words: 30, stopwordDensity: 0.4, terminal: true }),
    ]);
    expect(promo?.reasons).toEqual([
      'repeated in 14 documents (3 of 5 lines)',
      'cue:"free trial" (+1 other cue; 3 of 5 lines)',
      'call to action (1 of 5 lines)',
      'context: boilerplate neighbours (score -1.50; 1 of 5 lines)',
      'link density 0.20',
      'stopword density 0.25',
    ]);
    expect(article?.reasons).toEqual([
      'in the main text block (2 of 3 lines)',
      'headline before the main text block (1 of 3 lines)',
      'ends like a sentence (2 of 3 lines)',
      'stopword density 0.37',
      '26 words per line',
    ]);
    const one = mergeSegments([body({ context: 1, words: 12, stopwordDensity: 0.5, terminal: true })]);
    expect(one[0]?.reasons).toEqual(['in the main text block', 'ends like a sentence', 'stopword density 0.50', '12 words']);
  });

  it('segment reasons are identical from run to run', () => {
    const lines = [...seed('000'), ...seed('002')];
    expect(JSON.stringify(segmentDocument(lines).segments)).toBe(JSON.stringify(segmentDocument(lines).segments));
  });

  it('is deterministic and handles empty documents', () => {
    const lines = seed('002');
    expect(segmentDocument(lines)).toEqual(segmentDocument(lines));
    expect(classifyLines([])).toEqual([]);
    expect(segmentDocument(['', '  ']).segments).toEqual([]);
  });

  it('gives the same answer when the caller passes normalised lines and tokens', () => {
    const lines = seed('000');
    const normalised = lines.map((l) => normaliseText(l));
    const tokens = normalised.map((n) => tokenise(n));
    expect(classifyLines(lines, { normalised, tokens })).toEqual(classifyLines(lines));
  });

  it("the pipeline's path (prepareDocument's tokens and hashes, no line reasons) gives the same segments", () => {
    const dirs = [SEEDS, join(SEEDS, '..', 'boilerplate')];
    const files = dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => join(dir, f)));
    expect(files.length).toBeGreaterThan(6);
    for (const file of files) {
      const doc = prepareDocument(readFileSync(file, 'utf8'), 'word');
      const fast = segmentLines(doc.lines, {
        normalised: doc.normalised,
        tokens: doc.tokens,
        tokenHashes: { hashes: doc.units, lineStart: doc.lineUnitStart },
      });
      expect(fast, file).toEqual(segmentDocument(doc.lines).segments);
    }
  });

  it('lines in reasons are quoted from the cue found', () => {
    const labels = classifyLines([...PARAGRAPHS, 'Start your free trial today']);
    expect(labels[5]?.reasons[0]).toBe('cue:"start your free trial"');
  });
});

describe('segment previews', () => {
  // What a preview is: the first eight runs of non-space, one space between, at most 60 characters, … when the line goes on.
  const expected = (line: string) => {
    let text = (line.match(/\S+/gu) ?? []).slice(0, 8).join(' ');
    if (text.length > 60) text = text.slice(0, 59).trimEnd();
    return text.length < line.trim().length ? `${text}…` : text;
  };

  it('shows the first words of a line, whatever the spaces between them', () => {
    const lines = [
      '',
      '   ',
      'Short headline',
      '  Padded  headline\twith\u00a0odd\u2003spaces  ',
      'One two three four five six seven eight nine ten',
      'One two three four five six seven eight',
      'One two three four five six seven eight   ',
      'Antidisestablishmentarianism-and-other-very-long-hyphenated-compounds-that-run-past-sixty characters',
      'Emoji 😀 and 𝒮𝒸𝓇𝒾𝓅𝓉 letters\u3000after an ideographic space, then more words to cut',
      '\ufeffByte order mark first, then\u2028a line separator inside',
    ];
    for (const line of lines) expect([line, preview(line)]).toEqual([line, expected(line)]);
  });
});

describe('findTemplateLines', () => {
  const key = (...ks: number[]) => Uint32Array.from(ks);

  it('marks a line shared by three different groups, not one shared by three copies of one article', () => {
    const shared = 77;
    // Documents 0, 1, 2 are near-duplicates (group 0); 3 and 4 are other articles.
    const keys = [key(1, shared, 5), key(1, shared, 6), key(1, shared, 7), key(2, shared), key(shared, 3, 0)];
    const groups = [0, 0, 0, 3, 4];
    const found = findTemplateLines(keys, groups);
    expect(found).toHaveLength(5);
    // `shared` occurs in groups 0, 3 and 4.
    expect(found[0]).toEqual(new Map([[1, 3]]));
    expect(found[3]).toEqual(new Map([[1, 3]]));
    expect(found[4]).toEqual(new Map([[0, 3]]));
    // Key 1 is in three documents, all of group 0: it counts once.
    expect(found[1]?.has(0)).toBe(false);
  });

  it('does not mark a line found in only two groups, honours minDocuments, and ignores key 0', () => {
    const keys = [key(9, 0), key(9, 0), key(8, 0)];
    expect(findTemplateLines(keys, [0, 1, 2]).every((m) => m.size === 0)).toBe(true);
    expect(findTemplateLines(keys, [0, 1, 2], { minDocuments: 2 })[0]).toEqual(new Map([[0, 2]]));
  });

  it('counts a line repeated inside one document once', () => {
    const keys = [key(5, 5, 5), key(6), key(7)];
    expect(findTemplateLines(keys, [0, 1, 2])[0]?.size).toBe(0);
  });

  it('template keys: 0 for blocks longer than a footer (TEMPLATE_MAX_WORDS words)', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
    const { templateKeys } = prepareDocument([words(TEMPLATE_MAX_WORDS), '', words(TEMPLATE_MAX_WORDS + 1)].join('\n'), 'word');
    expect(templateKeys[0]).not.toBe(0);
    expect(templateKeys[2]).toBe(0);
  });

  it('template keys: 0 for blank and short lines, equal keys for lines with the same words', () => {
    const { templateKeys } = prepareDocument(['', 'Why It Matters', 'Read the latest news from our city desk', 'READ  the latest news, from our city desk!'].join('\n'), 'word');
    expect(templateKeys[0]).toBe(0);
    expect(templateKeys[1]).toBe(0);
    expect(templateKeys[2]).not.toBe(0);
    expect(templateKeys[2]).toBe(templateKeys[3]);
  });

  it('end to end: a footer shared by three unrelated articles becomes boilerplate', () => {
    const footer = 'Our journalism is made possible by readers like you in every town we cover.';
    const articles = [PARAGRAPHS.slice(0, 3), PARAGRAPHS.slice(2, 5), [PARAGRAPHS[4], PARAGRAPHS[0]] as string[]].map((a) => [...a, footer]);
    const found = findTemplateLines(articles.map((a) => prepareDocument(a.join('\n'), 'word').templateKeys), [0, 1, 2]);
    for (const [d, lines] of articles.entries()) {
      const labels = classifyLines(lines, { templateCounts: found[d] });
      expect(labels[lines.length - 1]?.kind).toBe('boilerplate');
      expect(labels[lines.length - 1]?.reasons).toContain('repeated in 3 documents');
      expect(labels.slice(0, -1).every((l) => l.kind === 'body')).toBe(true);
    }
  });
});

describe('cues', () => {
  it('indexes every strong cue by a trigger word or symbol', () => {
    expect(ALWAYS_TRIED).toBe(0);
    expect(triggerWords('all rights reserved', (w) => w === 'all')).toEqual(['reserved']);
    expect(triggerWords('(?:photo|image) (?:by|credit)', (w) => w === 'by')).toEqual(['photo', 'image']);
    expect(triggerWords('newsletters?')).toBeNull();
  });

  it('matches on normalised text, short-line cues only in short lines', () => {
    const cue = (text: string) => {
      const n = normaliseText(text);
      return matchCue(n, tokenise(n).length, []);
    };
    expect(cue('Comments (3)')).toMatchObject({ category: 'navigation', tier: 'short' });
    expect(cue('Read more')).toMatchObject({ category: 'navigation' });
    expect(cue('PRINT')).toMatchObject({ category: 'navigation', tier: 'whole' });
    expect(cue('He said he would read more about the plan before deciding how to vote on the proposal next week.')).toBeNull();
  });

  it('calls to action need the reader or an exclamation, not only an imperative', () => {
    expect(isCallToAction(normaliseText('Download our app and never miss a story!'))).toBe(true);
    expect(isCallToAction(normaliseText('Watch NEWSMAX anytime, anywhere!'))).toBe(true);
    expect(isCallToAction(normaliseText('Find the channel on your cable system'))).toBe(true);
    expect(isCallToAction(normaliseText('Download chart debut is delayed'))).toBe(false);
    expect(isCallToAction(normaliseText('Watchdog fines bank over failures'))).toBe(false);
  });
});
