import { describe, expect, it } from 'vitest';
import { normaliseText, splitLines } from '../src/normalise/normalise.js';
import { hashString } from '../src/tokenise/hash.js';
import { hashWords, tokenise } from '../src/tokenise/tokenise.js';
import { mulberry32 } from '../src/types/numbers.js';

describe('normaliseText', () => {
  it('folds case, unifies curly quotes and dashes, collapses whitespace', () => {
    expect(normaliseText('  There\u2019s  \u201Csome\u201D\tprogress \u2014 NOW  ')).toBe(`there's "some" progress - now`);
  });

  it('applies NFKC so compatibility forms compare equal', () => {
    expect(normaliseText('\uFB01nance \u2460 \uFF21')).toBe(normaliseText('finance 1 A'));
    // A decomposed é and a precomposed é are the same word.
    expect(normaliseText('cafe\u0301')).toBe(normaliseText('caf\u00e9'));
  });
});

describe('normaliseText against disguised copies', () => {
  it('removes invisible code points, so one between letters does not split the word', () => {
    // ZWSP, soft hyphen, ZWNJ, ZWJ, word joiner, BOM, variation selector, CGJ, bidi override and isolate, tag letter.
    const hidden = ['\u200B', '\u00AD', '\u200C', '\u200D', '\u2060', '\uFEFF', '\uFE0F', '\u034F', '\u202E', '\u2066', '\u{E0041}'];
    for (const h of hidden) expect(normaliseText(`co${h}oper${h}ation`), `U+${h.codePointAt(0)!.toString(16)}`).toBe('cooperation');
    expect(tokenise(normaliseText('har\u00ADbour au\u200Bthority'))).toEqual(['harbour', 'authority']);
  });

  it('folds Cyrillic and Greek look-alikes inside Latin words', () => {
    // Cyrillic а е о р с у х і ј ѕ and capitals Т В С Н; Greek ο α ν ρ.
    expect(normaliseText('Тhе Вritish Сhаnсеllоr sаys рrісеs ехсееd јоb\u0455 — ΝЕW')).toBe('the british chancellor says prices exceed jobs - new');
    expect(normaliseText('ρrονe thαt yοu')).toBe('prove that you');
    // Words made only of look-alikes ("а", "іѕ", the "ѕ" after an apostrophe) fold on an English line.
    expect(normaliseText('Ѕhе іѕ а friend of thе сity\u2019ѕ mаyоr')).toBe("she is a friend of the city's mayor");
    // A look-alike with an accent folds to the accented Latin letter (Cyrillic ё).
    expect(normaliseText('cliёnt')).toBe(normaliseText('cli\u00EBnt'));
  });

  it('leaves genuine Russian and Greek text as it is, even beside Latin words', () => {
    const russian = 'Сорок сорок: с утра в Москве рос курс, а у Хорошевского шоссе ехали по пять машин.';
    expect(normaliseText(russian)).toBe(russian.toLowerCase());
    const greek = 'Ο ρήτορας είπε ότι η πόλη θα χτίσει νέα αγορά.';
    expect(normaliseText(greek)).toBe(greek.toLowerCase());
    // Words of one script each: Latin stays Latin, Cyrillic stays Cyrillic.
    expect(tokenise(normaliseText('Apple представила iPhone в Москве'))).toEqual(['apple', 'представила', 'iphone', 'в', 'москве']);
    // On a Russian line with a Latin word, the Russian "а" and "у" (all look-alikes) stay Cyrillic.
    const mixed = 'В Москве Apple открыла магазин, а у входа стояла очередь.';
    expect(normaliseText(mixed)).toBe(mixed.toLowerCase());
    // There a Latin word with a look-alike in it still folds: "Аpple" with a Cyrillic А.
    expect(normaliseText(mixed.replace('Apple', '\u0410pple'))).toBe(mixed.toLowerCase());
    // A word with a Cyrillic letter that passes for no Latin one is not a disguise: kept.
    expect(normaliseText('Xерсон')).toBe('xерсон');
  });
});

describe('splitLines', () => {
  it('counts \\r\\n and a lone \\r as one break each', () => {
    expect(splitLines('a\r\nb\rc\nd')).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('tokenise', () => {
  it('keeps words of any script and drops punctuation', () => {
    const text = normaliseText('Привет, мир! Καλημέρα κόσμε. Café «crème» — 2025; naïve');
    expect(tokenise(text)).toEqual(['привет', 'мир', 'καλημέρα', 'κόσμε', 'café', 'crème', '2025', 'naïve']);
  });

  it('splits at apostrophes like the reference tokenisation of the BBC pair list', () => {
    expect(tokenise(normaliseText('didn\u2019t stop'))).toEqual(['didn', 't', 'stop']);
  });

  it('returns nothing for text without words', () => {
    expect(tokenise('')).toEqual([]);
    expect(tokenise(normaliseText(' -- ... !!! '))).toEqual([]);
  });
});

describe('ASCII lines', () => {
  // Random ASCII lines: letters of both cases, digits, punctuation, runs of spaces, tabs.
  const random = mulberry32(11);
  const alphabet = 'aAzZmM09 .,;:!?\'"-()[]{}@#$%^&*_+=/\\|<>~\t\x0b\x1f\x7f';
  const lines = Array.from({ length: 3000 }, () => {
    let s = '';
    const length = Math.floor(random() * 40);
    for (let i = 0; i < length; i++) s += random() < 0.25 ? ' ' : alphabet[Math.floor(random() * alphabet.length)];
    return s;
  });

  it('normaliseText of ASCII without a backtick is lower-cased with its whitespace collapsed and trimmed', () => {
    for (const line of lines) expect(normaliseText(line), JSON.stringify(line)).toBe(line.toLowerCase().replace(/\s+/g, ' ').trim());
  });

  it('tokenise of ASCII gives the runs of letters and digits', () => {
    for (const line of lines) {
      expect(tokenise(line), JSON.stringify(line)).toEqual(line.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []);
      const norm = normaliseText(line);
      expect(tokenise(norm)).toEqual(norm.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []);
    }
  });

  it('hashWords counts and hashes the words tokenise finds, ASCII or not', () => {
    const mixed = ['Привет, мир! café crème', 'naïve 2025 ｆｕｌｌ', '東京は晴れ today', 'a\u0301b c'];
    const hashes = new Uint32Array(200);
    for (const line of [...lines, ...lines.map(normaliseText), ...mixed, ...mixed.map(normaliseText)]) {
      hashes.fill(0);
      const count = hashWords(line, hashes, 3);
      const words = tokenise(line);
      expect(count, JSON.stringify(line)).toBe(words.length);
      expect(Array.from(hashes.subarray(3, 3 + count))).toEqual(words.map((w) => hashString(w)));
    }
  });
});
