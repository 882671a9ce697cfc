import { describe, expect, it } from 'vitest';
import { createdRefs, crudCounts, tableArgument } from '../../renderer/features/sql-editor/crud-model.js';
import { syncVariables } from '../../renderer/features/sql-editor/sql-variables.js';

describe('generate database services: the dialog model', () => {
  it('names tables as the service expects', () => {
    expect(tableArgument({ schema: 'main', name: 'Album' })).toBe('Album');
    expect(tableArgument({ schema: 'public', name: 'album' })).toBe('album');
    expect(tableArgument({ schema: 'sales', name: 'order' })).toBe('sales.order');
  });

  it('counts and locates what was created, sequences first', () => {
    const created = ['transaction db.Album.list', 'transaction db.Album.get', 'sequence Album.list', 'route GET /Album', 'route GET /Album/{id}'];
    expect(crudCounts(created)).toEqual({ transaction: 2, sequence: 1, route: 2 });
    expect(createdRefs(created)).toEqual([
      { type: 'sequence', sequence: 'Album.list' },
      { type: 'transaction', connector: 'db', transaction: 'Album.list' },
      { type: 'transaction', connector: 'db', transaction: 'Album.get' },
    ]);
    expect(createdRefs([])).toEqual([]);
  });
});

describe('SQL editor: {name} placeholders declare variables', () => {
  it('declares new placeholders as required strings and keeps declared ones as they are', () => {
    const declared = [{ name: 'id', type: 'integer' as const, required: true }];
    const sync = syncVariables("SELECT * FROM t WHERE id = {id} AND name = {name} AND s = '{not}'", declared, new Set());
    expect(sync.created).toEqual(['name']);
    expect(sync.removed).toEqual([]);
    expect(sync.variables).toEqual([
      { name: 'id', type: 'integer', required: true },
      { name: 'name', type: 'string', required: true },
    ]);
  });

  it('drops variables this editor declared once the statement no longer names them, never others', () => {
    const declared = [
      { name: 'n', type: 'string' as const, required: true },
      { name: 'keep', type: 'string' as const, required: true },
    ];
    const sync = syncVariables('SELECT {name}', declared, new Set(['n']));
    expect(sync.removed).toEqual(['n']);
    expect(sync.created).toEqual(['name']);
    expect(sync.variables.map((v) => v.name)).toEqual(['keep', 'name']);
  });
});
