/**
 * One byte per UTF-16 code unit, 1 where `pattern` (a pattern that matches single characters) matches the unit
 * written alone: asked of the pattern itself once, on first use, so a per-unit check says what the pattern
 * would say of each character of a text without running it.
 */
export function unitsMatching(pattern: RegExp): () => Uint8Array {
  let units: Uint8Array | undefined;
  return () => {
    if (units) return units;
    const one = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace('g', ''));
    const built = new Uint8Array(0x10000);
    for (let c = 0; c < 0x10000; c++) if (one.test(String.fromCharCode(c))) built[c] = 1;
    units = built;
    return built;
  };
}
