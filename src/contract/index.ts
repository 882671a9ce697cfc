export * from './refs.js';
export * from './errors.js';
export * from './dto.js';
export * from './dto-sequences.js';
export * from './methods.js';
export * from './events.js';
