export * from './figures';
export * from './departmentStats';
