/**
 * Evidence highlighting: an article's text and the spans that support an event's fields and claims
 * become a tree of text runs and marks, ready to render as nested `<mark>` elements. Offsets are
 * character offsets into the cleaned text (JavaScript string indices, as the API gives them).
 *
 * Spans with the same range become one mark carrying all their labels; a span inside another is a
 * mark inside the other's; a span that crosses another's end is cut there, and its rest continues
 * as a second mark with the same labels (so every character keeps all the labels that cover it).
 */

export type SpanLabel = { kind: 'field'; field: string } | { kind: 'claim'; index: number };

export interface LabelledSpan {
  start: number;
  end: number;
  labels: SpanLabel[];
}

export interface MarkNode {
  /** The span's key `start-end` (of the whole span, also on each piece of a cut span). */
  key: string;
  start: number;
  end: number;
  labels: SpanLabel[];
  children: TextNode[];
}

export type TextNode = string | MarkNode;

function labelKey(l: SpanLabel): string {
  return l.kind === 'field' ? `f:${l.field}` : `c:${l.index}`;
}

/** Identical ranges merged (labels deduplicated), out-of-text and empty ranges dropped. */
export function mergeSpans(spans: readonly LabelledSpan[], length: number): LabelledSpan[] {
  const byRange = new Map<string, LabelledSpan>();
  for (const s of spans) {
    const start = Math.max(0, Math.floor(s.start));
    const end = Math.min(length, Math.floor(s.end));
    if (!(end > start)) continue;
    const key = `${start}-${end}`;
    const have = byRange.get(key);
    if (!have) byRange.set(key, { start, end, labels: [...s.labels] });
    else for (const l of s.labels) if (!have.labels.some((h) => labelKey(h) === labelKey(l))) have.labels.push(l);
  }
  return [...byRange.values()];
}

/** The text as runs and (nested) marks. */
export function highlightTree(text: string, spans: readonly LabelledSpan[]): TextNode[] {
  type Piece = { key: string; start: number; end: number; labels: SpanLabel[] };
  const queue: Piece[] = mergeSpans(spans, text.length).map((s) => ({ ...s, key: `${s.start}-${s.end}` }));
  const order = (a: Piece, b: Piece) => a.start - b.start || b.end - a.end;
  queue.sort(order);

  type Open = { node: MarkNode; cursor: number };
  const root: TextNode[] = [];
  const stack: Open[] = [];
  let rootCursor = 0;

  const close = () => {
    const top = stack.pop()!;
    if (top.cursor < top.node.end) top.node.children.push(text.slice(top.cursor, top.node.end));
    const parent = stack[stack.length - 1];
    if (parent) parent.cursor = top.node.end;
    else rootCursor = top.node.end;
  };

  while (queue.length) {
    const p = queue.shift()!;
    while (stack.length && stack[stack.length - 1]!.node.end <= p.start) close();
    const top = stack[stack.length - 1];
    let piece = p;
    if (top && p.end > top.node.end) {
      // Crosses the enclosing mark's end: cut, and queue the rest in order.
      const rest: Piece = { ...p, start: top.node.end };
      piece = { ...p, end: top.node.end };
      const at = queue.findIndex((q) => order(rest, q) < 0);
      queue.splice(at < 0 ? queue.length : at, 0, rest);
    }
    const node: MarkNode = { key: piece.key, start: piece.start, end: piece.end, labels: piece.labels, children: [] };
    if (top) {
      if (top.cursor < piece.start) top.node.children.push(text.slice(top.cursor, piece.start));
      top.node.children.push(node);
    } else {
      if (rootCursor < piece.start) root.push(text.slice(rootCursor, piece.start));
      root.push(node);
    }
    stack.push({ node, cursor: piece.start });
  }
  while (stack.length) close();
  if (rootCursor < text.length) root.push(text.slice(rootCursor));
  return root;
}

/** The plain text of a node (what a mark shows, its nested marks included). */
export function nodeText(n: TextNode): string {
  return typeof n === 'string' ? n : n.children.map(nodeText).join('');
}
