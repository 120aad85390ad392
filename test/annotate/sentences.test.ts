import { describe, expect, it } from 'vitest';
import { isHardWrapped, sentenceAt, splitSentences } from '../../src/annotate/sentences.js';

const texts = (t: string): string[] => splitSentences(t).map((s) => t.slice(s.start, s.end));

describe('splitSentences', () => {
  it('splits at sentence punctuation followed by a capital', () => {
    expect(texts('Gunmen attacked a post. Three soldiers died! Was it JNIM? Nobody knows.')).toEqual([
      'Gunmen attacked a post.',
      'Three soldiers died!',
      'Was it JNIM?',
      'Nobody knows.',
    ]);
  });

  it('keeps abbreviations and initials inside the sentence', () => {
    expect(texts('Lt. Col. Diarra met U.S. officials on Jan. 5 in Bamako. They left.')).toEqual([
      'Lt. Col. Diarra met U.S. officials on Jan. 5 in Bamako.',
      'They left.',
    ]);
  });

  it('treats each line of web text as a paragraph', () => {
    expect(texts('Headline without a stop\nThe army said 3 died.')).toEqual(['Headline without a stop', 'The army said 3 died.']);
  });

  it('joins hard-wrapped wire copy lines and splits at blank lines', () => {
    const wire = [
      '   SAN SALVADOR, 4 JAN 90 -- [TEXT] URBAN GUERRILLAS ATTACKED A POLICE POST IN',
      'THE CAPITAL LAST NIGHT, KILLING TWO POLICEMEN AND WOUNDING THREE OTHERS, THE',
      'NATIONAL POLICE REPORTED TODAY.',
      '',
      '   THE POLICE SAID THE ATTACKERS FLED TOWARD THE VOLCANO AFTER THE ATTACK WHICH',
      'LASTED ABOUT TWENTY MINUTES, ACCORDING TO THE REPORT ISSUED THIS MORNING.',
    ].join('\n');
    expect(isHardWrapped(wire)).toBe(true);
    const s = texts(wire);
    expect(s).toHaveLength(2);
    expect(s[0]).toContain('KILLING TWO POLICEMEN');
    expect(s[0]).toContain('REPORTED TODAY.');
  });

  it('sentenceAt finds the sentence holding an offset', () => {
    const t = 'One. Two. Three.';
    const ss = splitSentences(t);
    expect(t.slice(sentenceAt(ss, t.indexOf('Two'))!.start, sentenceAt(ss, t.indexOf('Two'))!.end)).toBe('Two.');
    expect(sentenceAt(ss, 4)).toBeUndefined();
  });

  it('offsets always point at trimmed, non-empty text', () => {
    const t = '  First one.   Second one.\n\n\nThird.  ';
    for (const s of splitSentences(t)) {
      const slice = t.slice(s.start, s.end);
      expect(slice).toBe(slice.trim());
      expect(slice.length).toBeGreaterThan(0);
    }
  });
});
