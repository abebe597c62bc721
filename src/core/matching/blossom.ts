/**
 * Exact maximum-weight matching (Edmonds' blossom algorithm with a primal-dual method, O(n³)),
 * written after Joris van Rantwijk's public-domain reference implementation `mwmatching.py`.
 * The matcher solves even rounds of pairs of up to a few hundred members with it, where O(n³) is
 * still faster than the heuristic searches; the benchmark and tests use it as the yardstick for pairs.
 */

/** An undirected edge `[i, j, weight]` between vertices `0 .. n-1`. */
export type WeightedEdge = readonly [number, number, number];

/**
 * A maximum-weight matching of the graph; `mate[v]` is v's partner or -1.
 * With `maxCardinality`, the maximum weight among matchings of maximum cardinality.
 * Integer weights keep all arithmetic exact.
 */
export function maxWeightMatching(edges: readonly WeightedEdge[], maxCardinality = false): number[] {
  if (edges.length === 0) return [];
  const nedge = edges.length;
  let nvertex = 0;
  let maxweight = 0;
  for (const [i, j, w] of edges) {
    nvertex = Math.max(nvertex, i + 1, j + 1);
    maxweight = Math.max(maxweight, w);
  }
  const edgeI = (k: number): number => edges[k]![0];
  const edgeJ = (k: number): number => edges[k]![1];
  const edgeW = (k: number): number => edges[k]![2];

  // endpoint[p] is the vertex at endpoint p; edge k has endpoints 2k (its i) and 2k+1 (its j).
  const endpoint: number[] = [];
  for (let p = 0; p < 2 * nedge; p++) endpoint.push(p % 2 === 0 ? edgeI(p >> 1) : edgeJ(p >> 1));
  const neighbend: number[][] = Array.from({ length: nvertex }, () => []);
  for (let k = 0; k < nedge; k++) {
    neighbend[edgeI(k)]!.push(2 * k + 1);
    neighbend[edgeJ(k)]!.push(2 * k);
  }

  const mate = new Array<number>(nvertex).fill(-1); // remote endpoint of the matched edge
  const label = new Array<number>(2 * nvertex).fill(0); // 0 free, 1 S, 2 T (5 = S during scan)
  const labelend = new Array<number>(2 * nvertex).fill(-1);
  const inblossom = Array.from({ length: nvertex }, (_, v) => v);
  const blossomparent = new Array<number>(2 * nvertex).fill(-1);
  const blossomchilds: (number[] | null)[] = new Array<number[] | null>(2 * nvertex).fill(null);
  const blossombase = [...Array.from({ length: nvertex }, (_, v) => v), ...new Array<number>(nvertex).fill(-1)];
  const blossomendps: (number[] | null)[] = new Array<number[] | null>(2 * nvertex).fill(null);
  const bestedge = new Array<number>(2 * nvertex).fill(-1);
  const blossombestedges: (number[] | null)[] = new Array<number[] | null>(2 * nvertex).fill(null);
  const unusedblossoms = Array.from({ length: nvertex }, (_, b) => nvertex + b);
  const dualvar = [...new Array<number>(nvertex).fill(maxweight), ...new Array<number>(nvertex).fill(0)];
  const allowedge = new Array<boolean>(nedge).fill(false);
  let queue: number[] = [];

  const at = <T>(xs: readonly T[], index: number): T => xs[index] as T;
  const slack = (k: number): number => at(dualvar, edgeI(k)) + at(dualvar, edgeJ(k)) - 2 * edgeW(k);

  const blossomLeaves = (b: number, out: number[] = []): number[] => {
    if (b < nvertex) out.push(b);
    else for (const t of blossomchilds[b]!) blossomLeaves(t, out);
    return out;
  };

  const assignLabel = (w: number, t: number, p: number): void => {
    const b = at(inblossom, w);
    label[w] = label[b] = t;
    labelend[w] = labelend[b] = p;
    bestedge[w] = bestedge[b] = -1;
    if (t === 1) {
      queue.push(...blossomLeaves(b));
    } else if (t === 2) {
      const base = at(blossombase, b);
      assignLabel(at(endpoint, at(mate, base)), 1, at(mate, base) ^ 1);
    }
  };

  const scanBlossom = (vIn: number, wIn: number): number => {
    let v = vIn;
    let w = wIn;
    const path: number[] = [];
    let base = -1;
    while (v !== -1 || w !== -1) {
      let b = at(inblossom, v);
      if (at(label, b) & 4) {
        base = at(blossombase, b);
        break;
      }
      path.push(b);
      label[b] = 5;
      if (at(labelend, b) === -1) {
        v = -1;
      } else {
        v = at(endpoint, at(labelend, b));
        b = at(inblossom, v);
        v = at(endpoint, at(labelend, b));
      }
      if (w !== -1) {
        const tmp = v;
        v = w;
        w = tmp;
      }
    }
    for (const b of path) label[b] = 1;
    return base;
  };

  const addBlossom = (base: number, k: number): void => {
    let v = edgeI(k);
    let w = edgeJ(k);
    const bb = at(inblossom, base);
    let bv = at(inblossom, v);
    let bw = at(inblossom, w);
    const b = unusedblossoms.pop()!;
    blossombase[b] = base;
    blossomparent[b] = -1;
    blossomparent[bb] = b;
    const path: number[] = [];
    const endps: number[] = [];
    while (bv !== bb) {
      blossomparent[bv] = b;
      path.push(bv);
      endps.push(at(labelend, bv));
      v = at(endpoint, at(labelend, bv));
      bv = at(inblossom, v);
    }
    path.push(bb);
    path.reverse();
    endps.reverse();
    endps.push(2 * k);
    while (bw !== bb) {
      blossomparent[bw] = b;
      path.push(bw);
      endps.push(at(labelend, bw) ^ 1);
      w = at(endpoint, at(labelend, bw));
      bw = at(inblossom, w);
    }
    blossomchilds[b] = path;
    blossomendps[b] = endps;
    label[b] = 1;
    labelend[b] = at(labelend, bb);
    dualvar[b] = 0;
    for (const leaf of blossomLeaves(b)) {
      if (at(label, at(inblossom, leaf)) === 2) queue.push(leaf);
      inblossom[leaf] = b;
    }
    const bestedgeto = new Array<number>(2 * nvertex).fill(-1);
    for (const sub of path) {
      let nblists: number[][];
      if (blossombestedges[sub] === null) {
        nblists = blossomLeaves(sub).map((leaf) => at(neighbend, leaf).map((p) => p >> 1));
      } else {
        nblists = [blossombestedges[sub]!];
      }
      for (const nblist of nblists) {
        for (const e of nblist) {
          let i = edgeI(e);
          let j = edgeJ(e);
          if (at(inblossom, j) === b) {
            const tmp = i;
            i = j;
            j = tmp;
          }
          const bj = at(inblossom, j);
          if (bj !== b && at(label, bj) === 1 && (at(bestedgeto, bj) === -1 || slack(e) < slack(at(bestedgeto, bj)))) {
            bestedgeto[bj] = e;
          }
        }
      }
      blossombestedges[sub] = null;
      bestedge[sub] = -1;
    }
    const best = bestedgeto.filter((e) => e !== -1);
    blossombestedges[b] = best;
    bestedge[b] = -1;
    for (const e of best) if (at(bestedge, b) === -1 || slack(e) < slack(at(bestedge, b))) bestedge[b] = e;
  };

  const expandBlossom = (b: number, endstage: boolean): void => {
    const childs = blossomchilds[b]!;
    for (const s of childs) {
      blossomparent[s] = -1;
      if (s < nvertex) inblossom[s] = s;
      else if (endstage && at(dualvar, s) === 0) expandBlossom(s, endstage);
      else for (const leaf of blossomLeaves(s)) inblossom[leaf] = s;
    }
    if (!endstage && at(label, b) === 2) {
      const endps = blossomendps[b]!;
      const entrychild = at(inblossom, at(endpoint, at(labelend, b) ^ 1));
      const { j: start, jstep, endptrick } = walkFrom(childs.indexOf(entrychild), childs.length);
      let j = start;
      const idx = (x: number): number => (x < 0 ? x + childs.length : x);
      let p = at(labelend, b);
      while (j !== 0) {
        label[at(endpoint, p ^ 1)] = 0;
        label[at(endpoint, at(endps, idx(j - endptrick)) ^ endptrick ^ 1)] = 0;
        assignLabel(at(endpoint, p ^ 1), 2, p);
        allowedge[at(endps, idx(j - endptrick)) >> 1] = true;
        j += jstep;
        p = at(endps, idx(j - endptrick)) ^ endptrick;
        allowedge[p >> 1] = true;
        j += jstep;
      }
      let bv = at(childs, idx(j));
      label[at(endpoint, p ^ 1)] = label[bv] = 2;
      labelend[at(endpoint, p ^ 1)] = labelend[bv] = p;
      bestedge[bv] = -1;
      j += jstep;
      while (at(childs, idx(j)) !== entrychild) {
        bv = at(childs, idx(j));
        if (at(label, bv) === 1) {
          j += jstep;
          continue;
        }
        let found = -1;
        for (const leaf of blossomLeaves(bv)) {
          if (at(label, leaf) !== 0) {
            found = leaf;
            break;
          }
        }
        if (found !== -1) {
          label[found] = 0;
          label[at(endpoint, at(mate, at(blossombase, bv)))] = 0;
          assignLabel(found, 2, at(labelend, found));
        }
        j += jstep;
      }
    }
    label[b] = labelend[b] = -1;
    blossomchilds[b] = blossomendps[b] = null;
    blossombase[b] = -1;
    blossombestedges[b] = null;
    bestedge[b] = -1;
    unusedblossoms.push(b);
  };

  const augmentBlossom = (b: number, v: number): void => {
    let t = v;
    while (at(blossomparent, t) !== b) t = at(blossomparent, t);
    if (t >= nvertex) augmentBlossom(t, v);
    const childs = blossomchilds[b]!;
    const endps = blossomendps[b]!;
    const i = childs.indexOf(t);
    const { j: start, jstep, endptrick } = walkFrom(i, childs.length);
    let j = start;
    const idx = (x: number): number => (x < 0 ? x + childs.length : x);
    while (j !== 0) {
      j += jstep;
      t = at(childs, idx(j));
      const p = at(endps, idx(j - endptrick)) ^ endptrick;
      if (t >= nvertex) augmentBlossom(t, at(endpoint, p));
      j += jstep;
      t = at(childs, idx(j));
      if (t >= nvertex) augmentBlossom(t, at(endpoint, p ^ 1));
      mate[at(endpoint, p)] = p ^ 1;
      mate[at(endpoint, p ^ 1)] = p;
    }
    blossomchilds[b] = [...childs.slice(i), ...childs.slice(0, i)];
    blossomendps[b] = [...endps.slice(i), ...endps.slice(0, i)];
    blossombase[b] = at(blossombase, blossomchilds[b]![0]!);
  };

  const augmentMatching = (k: number): void => {
    const v = edgeI(k);
    const w = edgeJ(k);
    for (const [start, startP] of [
      [v, 2 * k + 1],
      [w, 2 * k],
    ] as const) {
      let s = start;
      let p = startP;
      for (;;) {
        const bs = at(inblossom, s);
        if (bs >= nvertex) augmentBlossom(bs, s);
        mate[s] = p;
        if (at(labelend, bs) === -1) break;
        const t = at(endpoint, at(labelend, bs));
        const bt = at(inblossom, t);
        s = at(endpoint, at(labelend, bt));
        const j = at(endpoint, at(labelend, bt) ^ 1);
        if (bt >= nvertex) augmentBlossom(bt, j);
        mate[j] = at(labelend, bt);
        p = at(labelend, bt) ^ 1;
      }
    }
  };

  for (let stage = 0; stage < nvertex; stage++) {
    label.fill(0);
    bestedge.fill(-1);
    for (let b = nvertex; b < 2 * nvertex; b++) blossombestedges[b] = null;
    allowedge.fill(false);
    queue = [];
    for (let v = 0; v < nvertex; v++) {
      if (at(mate, v) === -1 && at(label, at(inblossom, v)) === 0) assignLabel(v, 1, -1);
    }
    let augmented = false;
    for (;;) {
      while (queue.length > 0 && !augmented) {
        const v = queue.pop()!;
        for (const p of at(neighbend, v)) {
          const k = p >> 1;
          const w = at(endpoint, p);
          if (at(inblossom, v) === at(inblossom, w)) continue;
          let kslack = 0;
          if (!allowedge[k]) {
            kslack = slack(k);
            if (kslack <= 0) allowedge[k] = true;
          }
          if (allowedge[k]) {
            if (at(label, at(inblossom, w)) === 0) {
              assignLabel(w, 2, p ^ 1);
            } else if (at(label, at(inblossom, w)) === 1) {
              const base = scanBlossom(v, w);
              if (base >= 0) {
                addBlossom(base, k);
              } else {
                augmentMatching(k);
                augmented = true;
                break;
              }
            } else if (at(label, w) === 0) {
              label[w] = 2;
              labelend[w] = p ^ 1;
            }
          } else if (at(label, at(inblossom, w)) === 1) {
            const b = at(inblossom, v);
            if (at(bestedge, b) === -1 || kslack < slack(at(bestedge, b))) bestedge[b] = k;
          } else if (at(label, w) === 0) {
            if (at(bestedge, w) === -1 || kslack < slack(at(bestedge, w))) bestedge[w] = k;
          }
        }
      }
      if (augmented) break;

      let deltatype = -1;
      let delta = 0;
      let deltaedge = -1;
      let deltablossom = -1;
      if (!maxCardinality) {
        deltatype = 1;
        delta = Math.min(...dualvar.slice(0, nvertex));
      }
      for (let v = 0; v < nvertex; v++) {
        if (at(label, at(inblossom, v)) === 0 && at(bestedge, v) !== -1) {
          const d = slack(at(bestedge, v));
          if (deltatype === -1 || d < delta) {
            delta = d;
            deltatype = 2;
            deltaedge = at(bestedge, v);
          }
        }
      }
      for (let b = 0; b < 2 * nvertex; b++) {
        if (at(blossomparent, b) === -1 && at(label, b) === 1 && at(bestedge, b) !== -1) {
          const d = slack(at(bestedge, b)) / 2;
          if (deltatype === -1 || d < delta) {
            delta = d;
            deltatype = 3;
            deltaedge = at(bestedge, b);
          }
        }
      }
      for (let b = nvertex; b < 2 * nvertex; b++) {
        if (at(blossombase, b) >= 0 && at(blossomparent, b) === -1 && at(label, b) === 2 && (deltatype === -1 || at(dualvar, b) < delta)) {
          delta = at(dualvar, b);
          deltatype = 4;
          deltablossom = b;
        }
      }
      if (deltatype === -1) {
        deltatype = 1;
        delta = Math.max(0, Math.min(...dualvar.slice(0, nvertex)));
      }

      for (let v = 0; v < nvertex; v++) {
        const l = at(label, at(inblossom, v));
        if (l === 1) dualvar[v] = at(dualvar, v) - delta;
        else if (l === 2) dualvar[v] = at(dualvar, v) + delta;
      }
      for (let b = nvertex; b < 2 * nvertex; b++) {
        if (at(blossombase, b) >= 0 && at(blossomparent, b) === -1) {
          if (at(label, b) === 1) dualvar[b] = at(dualvar, b) + delta;
          else if (at(label, b) === 2) dualvar[b] = at(dualvar, b) - delta;
        }
      }

      if (deltatype === 1) break;
      if (deltatype === 2) {
        allowedge[deltaedge] = true;
        let i = edgeI(deltaedge);
        if (at(label, at(inblossom, i)) === 0) i = edgeJ(deltaedge);
        queue.push(i);
      } else if (deltatype === 3) {
        allowedge[deltaedge] = true;
        queue.push(edgeI(deltaedge));
      } else if (deltatype === 4) {
        expandBlossom(deltablossom, false);
      }
    }
    if (!augmented) break;
    for (let b = nvertex; b < 2 * nvertex; b++) {
      if (at(blossomparent, b) === -1 && at(blossombase, b) >= 0 && at(label, b) === 1 && at(dualvar, b) === 0) expandBlossom(b, true);
    }
  }
  return mate.map((p) => (p >= 0 ? at(endpoint, p) : -1));
}

/**
 * Maximum-weight perfect matching of the complete graph on `n` (even) vertices with weights
 * `weight(i, j)`. Shifting every weight by the same constant keeps the optimum among perfect
 * matchings and makes the maximum-cardinality search return a perfect one.
 */
export function maxWeightPerfectMatching(n: number, weight: (i: number, j: number) => number): number[] {
  if (n % 2 !== 0) throw new RangeError('a perfect matching needs an even number of vertices');
  const edges: [number, number, number][] = [];
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = weight(i, j);
      min = Math.min(min, w);
      edges.push([i, j, w]);
    }
  }
  const shift = 1 - Math.min(0, min);
  return maxWeightMatching(
    edges.map(([i, j, w]) => [i, j, w + shift] as const),
    true,
  );
}

/**
 * Which way to walk a blossom's cycle from child `i` back to its base so the path has even length:
 * forwards from an odd position (shifted below zero), backwards from an even one.
 */
function walkFrom(i: number, length: number): { j: number; jstep: number; endptrick: number } {
  return i & 1 ? { j: i - length, jstep: 1, endptrick: 0 } : { j: i, jstep: -1, endptrick: 1 };
}
