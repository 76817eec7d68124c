/** `--name=N` from a bench's arguments, or `fallback`; anything but a positive number stops the bench with the flag named. */
export function positiveArg(argv: readonly string[], name: string, fallback: number, integer = false): number {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  const value = hit ? Number(hit.slice(name.length + 3)) : fallback;
  const valid = integer ? Number.isInteger(value) : Number.isFinite(value);
  if (!valid || value <= 0) throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}`);
  return value;
}
