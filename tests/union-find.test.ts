import { describe, expect, it } from 'vitest';
import { UnionFind } from '../src/cluster/union-find.js';

describe('UnionFind', () => {
  it('joins chains into one component and keeps others apart', () => {
    const uf = new UnionFind(6);
    expect(uf.union(0, 1)).toBe(true);
    expect(uf.union(1, 2)).toBe(true);
    expect(uf.union(2, 0)).toBe(false);
    uf.union(4, 5);
    expect(uf.find(0)).toBe(uf.find(2));
    expect(uf.find(3)).not.toBe(uf.find(0));
    expect(uf.find(4)).toBe(uf.find(5));
    expect(uf.find(4)).not.toBe(uf.find(0));
  });
});
