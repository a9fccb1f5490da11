import { describe, expect, it } from 'vitest';
import { lineFeatureVector, lineScore } from '../src/segment/classify.js';
import { extractFeatures } from '../src/segment/features.js';
import { DEFAULT_PARAMS, LINE_WEIGHT_NAMES } from '../src/segment/params.js';

describe('the classifier parameters', () => {
  it('score a unit exactly as the fitting script regresses on it (same inputs, same order)', () => {
    // If the two drift apart, `npm run fit:boilerplate` fits weights for a model the classifier does not run.
    const lines = [
      'Subscribe now and get three months free!',
      'The council met on Tuesday to discuss the new bus routes, which start in March.',
      'Home | News | Sport | www.example.com',
      'Copyright 2025 Example Media. All rights reserved.',
      'WHAT TO KNOW:',
    ];
    const { features } = extractFeatures(lines);
    features.forEach((f, i) => {
      const x = lineFeatureVector(f, i / lines.length);
      const dot = LINE_WEIGHT_NAMES.reduce((sum, name, j) => sum + DEFAULT_PARAMS[name] * x[j]!, 0);
      expect(lineScore(f, i / lines.length, DEFAULT_PARAMS)).toBeCloseTo(dot, 10);
    });
    expect(LINE_WEIGHT_NAMES).toHaveLength(lineFeatureVector(features[0]!, 0).length);
  });
});
