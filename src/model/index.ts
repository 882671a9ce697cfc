export * from './json.js';
export * from './names.js';
export * from './variable.js';
export * from './connector.js';
export * from './sequence.js';
export * from './project.js';
export * from './mapping.js';
