export * from './main';
export * from './read-inputs';
export * from './assess-inputs';
export * from './table';
