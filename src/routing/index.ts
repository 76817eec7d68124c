export * from './table';
export * from './route';
export * from './defaults';
