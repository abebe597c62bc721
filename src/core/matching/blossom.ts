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
  // Flat typed arrays: the search reads these edges millions of times.
  const edgeIs = new Int32Array(nedge);
  const edgeJs = new Int32Array(nedge);
  const edgeWs = new Float64Array(nedge);
  edges.forEach(([i, j, w], k) => {
    edgeIs[k] = i;
    edgeJs[k] = j;
    edgeWs[k] = w;
  });
  const edgeI = (k: number): number => edgeIs[k]!;
  const edgeJ = (k: number): number => edgeJs[k]!;

  // endpoint[p] is the vertex at endpoint p; edge k has endpoints 2k (its i) and 2k+1 (its j).
  const endpoint = new Int32Array(2 * nedge);
  for (let p = 0; p < 2 * nedge; p++) endpoint[p] = p % 2 === 0 ? edgeI(p >> 1) : edgeJ(p >> 1);
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
  const dualvar = new Float64Array(2 * nvertex).fill(maxweight, 0, nvertex);
  const allowedge = new Uint8Array(nedge);
  let queue: number[] = [];

  const slack = (k: number): number => dualvar[edgeIs[k]!]! + dualvar[edgeJs[k]!]! - 2 * edgeWs[k]!;

  const blossomLeaves = (b: number, out: number[] = []): number[] => {
    if (b < nvertex) out.push(b);
    else for (const t of blossomchilds[b]!) blossomLeaves(t, out);
    return out;
  };

  const assignLabel = (w: number, t: number, p: number): void => {
    const b = inblossom[w]!;
    label[w] = label[b] = t;
    labelend[w] = labelend[b] = p;
    bestedge[w] = bestedge[b] = -1;
    if (t === 1) {
      queue.push(...blossomLeaves(b));
    } else if (t === 2) {
      const base = blossombase[b]!;
      assignLabel(endpoint[mate[base]!]!, 1, mate[base]! ^ 1);
    }
  };

  const scanBlossom = (vIn: number, wIn: number): number => {
    let v = vIn;
    let w = wIn;
    const path: number[] = [];
    let base = -1;
    while (v !== -1 || w !== -1) {
      let b = inblossom[v]!;
      if (label[b]! & 4) {
        base = blossombase[b]!;
        break;
      }
      path.push(b);
      label[b] = 5;
      if (labelend[b]! === -1) {
        v = -1;
      } else {
        v = endpoint[labelend[b]!]!;
        b = inblossom[v]!;
        v = endpoint[labelend[b]!]!;
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
    const bb = inblossom[base]!;
    let bv = inblossom[v]!;
    let bw = inblossom[w]!;
    const b = unusedblossoms.pop()!;
    blossombase[b] = base;
    blossomparent[b] = -1;
    blossomparent[bb] = b;
    const path: number[] = [];
    const endps: number[] = [];
    while (bv !== bb) {
      blossomparent[bv] = b;
      path.push(bv);
      endps.push(labelend[bv]!);
      v = endpoint[labelend[bv]!]!;
      bv = inblossom[v]!;
    }
    path.push(bb);
    path.reverse();
    endps.reverse();
    endps.push(2 * k);
    while (bw !== bb) {
      blossomparent[bw] = b;
      path.push(bw);
      endps.push(labelend[bw]! ^ 1);
      w = endpoint[labelend[bw]!]!;
      bw = inblossom[w]!;
    }
    blossomchilds[b] = path;
    blossomendps[b] = endps;
    label[b] = 1;
    labelend[b] = labelend[bb]!;
    dualvar[b] = 0;
    for (const leaf of blossomLeaves(b)) {
      if (label[inblossom[leaf]!]! === 2) queue.push(leaf);
      inblossom[leaf] = b;
    }
    const bestedgeto = new Array<number>(2 * nvertex).fill(-1);
    for (const sub of path) {
      let nblists: number[][];
      if (blossombestedges[sub] === null) {
        nblists = blossomLeaves(sub).map((leaf) => neighbend[leaf]!.map((p) => p >> 1));
      } else {
        nblists = [blossombestedges[sub]!];
      }
      for (const nblist of nblists) {
        for (const e of nblist) {
          let i = edgeI(e);
          let j = edgeJ(e);
          if (inblossom[j]! === b) {
            const tmp = i;
            i = j;
            j = tmp;
          }
          const bj = inblossom[j]!;
          if (bj !== b && label[bj]! === 1 && (bestedgeto[bj]! === -1 || slack(e) < slack(bestedgeto[bj]!))) {
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
    for (const e of best) if (bestedge[b]! === -1 || slack(e) < slack(bestedge[b]!)) bestedge[b] = e;
  };

  const expandBlossom = (b: number, endstage: boolean): void => {
    const childs = blossomchilds[b]!;
    for (const s of childs) {
      blossomparent[s] = -1;
      if (s < nvertex) inblossom[s] = s;
      else if (endstage && dualvar[s]! === 0) expandBlossom(s, endstage);
      else for (const leaf of blossomLeaves(s)) inblossom[leaf] = s;
    }
    if (!endstage && label[b]! === 2) {
      const endps = blossomendps[b]!;
      const entrychild = inblossom[endpoint[labelend[b]! ^ 1]!]!;
      const { j: start, jstep, endptrick } = walkFrom(childs.indexOf(entrychild), childs.length);
      let j = start;
      const idx = (x: number): number => (x < 0 ? x + childs.length : x);
      let p = labelend[b]!;
      while (j !== 0) {
        label[endpoint[p ^ 1]!] = 0;
        label[endpoint[endps[idx(j - endptrick)]! ^ endptrick ^ 1]!] = 0;
        assignLabel(endpoint[p ^ 1]!, 2, p);
        allowedge[endps[idx(j - endptrick)]! >> 1] = 1;
        j += jstep;
        p = endps[idx(j - endptrick)]! ^ endptrick;
        allowedge[p >> 1] = 1;
        j += jstep;
      }
      let bv = childs[idx(j)]!;
      label[endpoint[p ^ 1]!] = label[bv] = 2;
      labelend[endpoint[p ^ 1]!] = labelend[bv] = p;
      bestedge[bv] = -1;
      j += jstep;
      while (childs[idx(j)]! !== entrychild) {
        bv = childs[idx(j)]!;
        if (label[bv]! === 1) {
          j += jstep;
          continue;
        }
        let found = -1;
        for (const leaf of blossomLeaves(bv)) {
          if (label[leaf]! !== 0) {
            found = leaf;
            break;
          }
        }
        if (found !== -1) {
          label[found] = 0;
          label[endpoint[mate[blossombase[bv]!]!]!] = 0;
          assignLabel(found, 2, labelend[found]!);
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
    while (blossomparent[t]! !== b) t = blossomparent[t]!;
    if (t >= nvertex) augmentBlossom(t, v);
    const childs = blossomchilds[b]!;
    const endps = blossomendps[b]!;
    const i = childs.indexOf(t);
    const { j: start, jstep, endptrick } = walkFrom(i, childs.length);
    let j = start;
    const idx = (x: number): number => (x < 0 ? x + childs.length : x);
    while (j !== 0) {
      j += jstep;
      t = childs[idx(j)]!;
      const p = endps[idx(j - endptrick)]! ^ endptrick;
      if (t >= nvertex) augmentBlossom(t, endpoint[p]!);
      j += jstep;
      t = childs[idx(j)]!;
      if (t >= nvertex) augmentBlossom(t, endpoint[p ^ 1]!);
      mate[endpoint[p]!] = p ^ 1;
      mate[endpoint[p ^ 1]!] = p;
    }
    blossomchilds[b] = [...childs.slice(i), ...childs.slice(0, i)];
    blossomendps[b] = [...endps.slice(i), ...endps.slice(0, i)];
    blossombase[b] = blossombase[blossomchilds[b]![0]!]!;
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
        const bs = inblossom[s]!;
        if (bs >= nvertex) augmentBlossom(bs, s);
        mate[s] = p;
        if (labelend[bs]! === -1) break;
        const t = endpoint[labelend[bs]!]!;
        const bt = inblossom[t]!;
        s = endpoint[labelend[bt]!]!;
        const j = endpoint[labelend[bt]! ^ 1]!;
        if (bt >= nvertex) augmentBlossom(bt, j);
        mate[j] = labelend[bt]!;
        p = labelend[bt]! ^ 1;
      }
    }
  };

  for (let stage = 0; stage < nvertex; stage++) {
    label.fill(0);
    bestedge.fill(-1);
    for (let b = nvertex; b < 2 * nvertex; b++) blossombestedges[b] = null;
    allowedge.fill(0);
    queue = [];
    for (let v = 0; v < nvertex; v++) {
      if (mate[v]! === -1 && label[inblossom[v]!]! === 0) assignLabel(v, 1, -1);
    }
    let augmented = false;
    for (;;) {
      while (queue.length > 0 && !augmented) {
        const v = queue.pop()!;
        for (const p of neighbend[v]!) {
          const k = p >> 1;
          const w = endpoint[p]!;
          if (inblossom[v]! === inblossom[w]!) continue;
          let kslack = 0;
          if (!allowedge[k]) {
            kslack = slack(k);
            if (kslack <= 0) allowedge[k] = 1;
          }
          if (allowedge[k]) {
            if (label[inblossom[w]!]! === 0) {
              assignLabel(w, 2, p ^ 1);
            } else if (label[inblossom[w]!]! === 1) {
              const base = scanBlossom(v, w);
              if (base >= 0) {
                addBlossom(base, k);
              } else {
                augmentMatching(k);
                augmented = true;
                break;
              }
            } else if (label[w]! === 0) {
              label[w] = 2;
              labelend[w] = p ^ 1;
            }
          } else if (label[inblossom[w]!]! === 1) {
            const b = inblossom[v]!;
            if (bestedge[b]! === -1 || kslack < slack(bestedge[b]!)) bestedge[b] = k;
          } else if (label[w]! === 0) {
            if (bestedge[w]! === -1 || kslack < slack(bestedge[w]!)) bestedge[w] = k;
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
        if (label[inblossom[v]!]! === 0 && bestedge[v]! !== -1) {
          const d = slack(bestedge[v]!);
          if (deltatype === -1 || d < delta) {
            delta = d;
            deltatype = 2;
            deltaedge = bestedge[v]!;
          }
        }
      }
      for (let b = 0; b < 2 * nvertex; b++) {
        if (blossomparent[b]! === -1 && label[b]! === 1 && bestedge[b]! !== -1) {
          const d = slack(bestedge[b]!) / 2;
          if (deltatype === -1 || d < delta) {
            delta = d;
            deltatype = 3;
            deltaedge = bestedge[b]!;
          }
        }
      }
      for (let b = nvertex; b < 2 * nvertex; b++) {
        if (blossombase[b]! >= 0 && blossomparent[b]! === -1 && label[b]! === 2 && (deltatype === -1 || dualvar[b]! < delta)) {
          delta = dualvar[b]!;
          deltatype = 4;
          deltablossom = b;
        }
      }
      if (deltatype === -1) {
        deltatype = 1;
        delta = Math.max(0, Math.min(...dualvar.slice(0, nvertex)));
      }

      for (let v = 0; v < nvertex; v++) {
        const l = label[inblossom[v]!]!;
        if (l === 1) dualvar[v] = dualvar[v]! - delta;
        else if (l === 2) dualvar[v] = dualvar[v]! + delta;
      }
      for (let b = nvertex; b < 2 * nvertex; b++) {
        if (blossombase[b]! >= 0 && blossomparent[b]! === -1) {
          if (label[b]! === 1) dualvar[b] = dualvar[b]! + delta;
          else if (label[b]! === 2) dualvar[b] = dualvar[b]! - delta;
        }
      }

      if (deltatype === 1) break;
      if (deltatype === 2) {
        allowedge[deltaedge] = 1;
        let i = edgeI(deltaedge);
        if (label[inblossom[i]!]! === 0) i = edgeJ(deltaedge);
        queue.push(i);
      } else if (deltatype === 3) {
        allowedge[deltaedge] = 1;
        queue.push(edgeI(deltaedge));
      } else if (deltatype === 4) {
        expandBlossom(deltablossom, false);
      }
    }
    if (!augmented) break;
    for (let b = nvertex; b < 2 * nvertex; b++) {
      if (blossomparent[b]! === -1 && blossombase[b]! >= 0 && label[b]! === 1 && dualvar[b]! === 0) expandBlossom(b, true);
    }
  }
  return mate.map((p) => (p >= 0 ? endpoint[p]! : -1));
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
