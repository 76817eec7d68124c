import taxonomyData from '../config/taxonomy.json';

/** Codes fixed by shared/taxonomy.json (copied to config/taxonomy.json; a test keeps the two equal). */
export type Urgency = 'emergency' | 'key' | 'daily';
export const URGENCIES: readonly Urgency[] = ['emergency', 'key', 'daily'];

export interface DepartmentInfo {
  code: string;
  name: string;
  scope: string;
}

export interface CategoryInfo {
  code: string;
  name: string;
  lead: string;
  scope: string;
}

export interface UrgencyInfo {
  code: Urgency;
  name: string;
  meaning: string;
}

export interface Taxonomy {
  urgency: UrgencyInfo[];
  departments: DepartmentInfo[];
  categories: CategoryInfo[];
}

export const taxonomy: Taxonomy = taxonomyData as Taxonomy;

const categoriesByCode = new Map(taxonomy.categories.map((c) => [c.code, c]));
const departmentsByCode = new Map(taxonomy.departments.map((d) => [d.code, d]));

export const CATEGORY_CODES: readonly string[] = taxonomy.categories.map((c) => c.code);
export const DEPARTMENT_CODES: readonly string[] = taxonomy.departments.map((d) => d.code);

export function isCategoryCode(code: string): boolean {
  return categoriesByCode.has(code);
}

export function isDepartmentCode(code: string): boolean {
  return departmentsByCode.has(code);
}

export function category(code: string): CategoryInfo {
  const found = categoriesByCode.get(code);
  if (!found) throw new Error(`unknown category code "${code}"`);
  return found;
}

export function department(code: string): DepartmentInfo {
  const found = departmentsByCode.get(code);
  if (!found) throw new Error(`unknown department code "${code}"`);
  return found;
}

export function urgencyName(code: Urgency): string {
  return taxonomy.urgency.find((u) => u.code === code)?.name ?? code;
}
