export * from './calendar';
export * from './policy';
export * from './deadlines';
export * from './defaults';
export { localDate, localYear, zonedInstant, addDays } from './timeZone';
export * from './statutoryYears';
export * from './holidayNotice';
