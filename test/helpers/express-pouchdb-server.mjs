// A CouchDB-compatible peer for tests and the FullSync bench: a plain express-pouchdb server (minimumForPouchDB mode) over the LevelDB store
// folder given as argv[2], on 127.0.0.1 and a free port. Prints "listening <port>" when ready.
// Run with the repository's node_modules (express-pouchdb and PouchDB are devDependencies of the root).
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const req = createRequire(path.resolve(import.meta.dirname, '../../package.json'));
const express = req('express');
const PouchDB = req('pouchdb-core').plugin(req('pouchdb-adapter-leveldb')).plugin(req('pouchdb-mapreduce')).plugin(req('pouchdb-replication'));
const folder = process.argv[2];
if (!folder) {
  console.error('usage: express-pouchdb-server.mjs <folder holding the database folders>');
  process.exit(2);
}
const Local = PouchDB.defaults({ prefix: folder.endsWith(path.sep) ? folder : folder + path.sep, adapter: 'leveldb' });
const app = express();
app.use('/', req('express-pouchdb')(Local, { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: path.join(tmpdir(), `express-pouchdb-${process.pid}.log`) }));
const server = app.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
