/**
 * The labelled sets the parser is trained and measured on, read from the repository and the shared
 * data folder. Only `dev` rows of the tipdm data set are ever read as text here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const repoRoot = join(__dirname, '..', '..');
// The project's shared folder sits beside the checkout (../shared); a checkout one level deeper (a worktree
// under the project's folder) finds it one further up.
const sharedCandidates = [join(repoRoot, '..', 'shared'), join(repoRoot, '..', '..', 'shared')];
const sharedDir = sharedCandidates.find((dir) => existsSync(join(dir, 'data', 'tipdm2020'))) ?? (sharedCandidates[0] as string);
export const tipdmDir = process.env.TIPDM_DIR ?? join(sharedDir, 'data', 'tipdm2020');

export interface RealRow {
  id: string;
  text: string;
  /** The data set's own 一级标签. */
  coarse: string;
  category: string;
  department: string;
  urgency: string;
  actionable: boolean;
  reason?: string;
}

export interface GridRow {
  text: string;
  category: string;
  urgency: string;
  location: string | null;
}

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export const fixture = (name: string): string => join(repoRoot, 'test', 'fixtures', name);

export const realTune = (): RealRow[] => readJsonl<RealRow>(fixture('tipdm-dev-tune.jsonl'));
export const realHoldout = (): RealRow[] => readJsonl<RealRow>(fixture('tipdm-dev-holdout.jsonl'));
/** Rows of train_seg (the data set's rest, segmented, stop words removed; words joined again) labelled by us. */
export const realSegmented = (): RealRow[] => readJsonl<RealRow>(fixture('tipdm-trainseg-labelled.jsonl'));
export const gridTune = (): GridRow[] => readJsonl<GridRow>(fixture('parser-messages.jsonl'));
export const gridHoldout = (): GridRow[] => readJsonl<GridRow>(fixture('parser-holdout.jsonl'));
export const gridUrgency = (): GridRow[] => readJsonl<GridRow>(fixture('parser-grid-urgency.jsonl'));

function tipdmFile(name: string): string {
  const path = join(tipdmDir, name);
  if (!existsSync(path)) throw new Error(`${path} not found: set TIPDM_DIR to the folder holding the tipdm2020 data set`);
  return path;
}

/** train_seg.tsv.gz: the rest of the data set, segmented; words joined again so features match raw text. */
export function tipdmTrainSeg(): Array<{ label: string; text: string }> {
  return gunzipSync(readFileSync(tipdmFile('train_seg.tsv.gz')))
    .toString('utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [label = '', text = ''] = l.split('\t');
      return { label, text: text.replace(/ /g, '') };
    });
}

/** Every dev row of messages.tsv.gz with the data set's coarse label (eval rows are never returned). */
export function tipdmDevRows(): Array<{ id: string; label: string; text: string }> {
  return gunzipSync(readFileSync(tipdmFile('messages.tsv.gz')))
    .toString('utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((p) => p[3] === 'dev')
    .map((p) => ({ id: p[0] ?? '', label: p[2] ?? '', text: p[4] ?? '' }));
}
