export { StudioService, type StudioServiceOptions } from './studio-service.js';
export { createDispatcher, toContractError, type Dispatcher, type DispatchResponse } from './dispatch.js';
export type { Disposable, StudioEventListener } from './events.js';
