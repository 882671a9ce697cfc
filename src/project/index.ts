// Reading and writing project folders (DESIGN.md, "Project on disk").
export { loadProject, readDotEnv, type LoadResult, type LoadOptions } from './load.js';
export { createProject } from './create.js';
export { saveProject, saveProjectFile, saveConnector, saveSequence, deleteConnectorFile, deleteSequenceFile } from './save.js';
export { writeFileAtomic } from './atomic-write.js';
export { connectorToYaml, sequenceToYaml, projectFileToYaml } from './layout.js';
export { MIGRATIONS, type Migration, type RawProject } from './migrations.js';
export { PROJECT_FILE, CONNECTORS_DIR, SEQUENCES_DIR, FILES_DIR } from './paths.js';
