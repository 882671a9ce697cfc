import { nameSchema } from '../model/names.js';

/** A session key: a name (the authenticated user's slot is not one, so no step reaches it by key). */
export const sessionKeyProp = () => nameSchema.describe('The session key (stateful sequences also keep their variables under their names)');
