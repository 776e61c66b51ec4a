export * from './posture-report';
export * from './markdown';
export * from './sarif';
export * from './controls-table';
