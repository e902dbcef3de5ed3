export * from './attributes.js';
export * from './decimal.js';
export * from './errors.js';
export * from './fact.js';
export * from './ids.js';
export * from './observation.js';
export * from './qualifiers.js';
export * from './values.js';
