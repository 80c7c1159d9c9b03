/**
 * Prompt names crafted to collide in the repeated-name check's hash table
 * (FNV-1a over UTF-16 code units, as `check-names-and-tags.ts` hashes them):
 * for the tests of its fallback to a `Set`.
 */

/** FNV-1a over a string's UTF-16 code units (32 bits), the name table's hash. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** `count` names `n<k>` whose hashes have their low `bits` bits all zero (so they share a slot in any table of 2^bits slots or fewer). */
export function collidingNames(count: number, bits: number): string[] {
  const mask = 2 ** bits - 1;
  const names: string[] = [];
  for (let k = 0; names.length < count; k++) if ((fnv1a(`n${k}`) & mask) === 0) names.push(`n${k}`);
  return names;
}
