import { describe, expect, it } from 'vitest';
import type { DatabaseSchemaDto } from '../../src/contract/index.js';
import { blankLiterals, cursorPlace, quoteName, sqlCompletions, tableReferences } from '../../renderer/features/sql-editor/sql-completion.js';

const col = (name: string, type: string, nullable = true) => ({ name, type, nullable, default: null, generated: false });
const SCHEMA: DatabaseSchemaDto = {
  driver: 'sqlite',
  tables: [
    { schema: 'main', name: 'Album', kind: 'table', columns: [col('AlbumId', 'INTEGER', false), col('Title', 'NVARCHAR(160)', false), col('ArtistId', 'INTEGER', false)], primaryKey: ['AlbumId'], foreignKeys: [] },
    { schema: 'main', name: 'Track', kind: 'table', columns: [col('TrackId', 'INTEGER', false), col('Name', 'NVARCHAR(200)', false), col('AlbumId', 'INTEGER')], primaryKey: ['TrackId'], foreignKeys: [] },
    { schema: 'main', name: 'Order Lines', kind: 'table', columns: [col('Qty', 'INTEGER')], primaryKey: [], foreignKeys: [] },
  ],
  views: [{ schema: 'main', name: 'TrackView', kind: 'view', columns: [col('Label', 'TEXT')], primaryKey: [], foreignKeys: [] }],
};
const context = { schema: SCHEMA, variables: [{ name: 'id', type: 'integer' }, { name: 'title' }] };

function at(sqlWithCursor: string) {
  const offset = sqlWithCursor.indexOf('|');
  const text = sqlWithCursor.replace('|', '');
  return sqlCompletions(text, offset, context);
}
const labels = (list: ReturnType<typeof at>) => (list ?? []).map((c) => c.label);

describe('sql completion', () => {
  it('offers tables and views, and keywords, at the start of a name', () => {
    const list = at('SELECT * FROM |');
    expect(labels(list)).toEqual(expect.arrayContaining(['Album', 'Track', 'TrackView', 'SELECT', 'WHERE']));
    expect(list!.find((c) => c.label === 'TrackView')!.kind).toBe('view');
    expect(list!.find((c) => c.label === 'Album')!.detail).toBe('table · 3 columns');
    // tables before keywords
    expect(list!.find((c) => c.label === 'Album')!.rank).toBeLessThan(list!.find((c) => c.label === 'SELECT')!.rank);
  });

  it('offers the columns of the tables the statement names, wherever the cursor is', () => {
    const list = at('SELECT Na| FROM Track t JOIN Album a ON a.AlbumId = t.AlbumId');
    expect(labels(list).slice(0, 5)).toEqual(['TrackId', 'Name', 'AlbumId', 'Title', 'ArtistId']);
    expect(list!.find((c) => c.label === 'Name')!.detail).toBe('NVARCHAR(200) · not null — Track');
    expect(labels(list)).not.toContain('Qty');
  });

  it('after alias. or table. offers only that table\'s columns', () => {
    expect(labels(at('SELECT a.| FROM Track t JOIN Album AS a ON 1'))).toEqual(['AlbumId', 'Title', 'ArtistId']);
    expect(labels(at('SELECT t.Na| FROM Track t'))).toEqual(['TrackId', 'Name', 'AlbumId']);
    expect(labels(at('SELECT Track.| FROM Track'))).toEqual(['TrackId', 'Name', 'AlbumId']);
    expect(labels(at('SELECT x.| FROM Track'))).toEqual([]);
  });

  it('resolves FROM lists, quoted names and case-insensitive names', () => {
    const refs = tableReferences('SELECT * FROM track, "Order Lines" ol, Album WHERE 1', SCHEMA);
    expect(refs.map((r) => `${r.table.name}:${r.alias}`)).toEqual(['Track:Track', 'Order Lines:ol', 'Album:Album']);
    expect(tableReferences('UPDATE Album SET Title = 1', SCHEMA).map((r) => r.table.name)).toEqual(['Album']);
    expect(tableReferences("SELECT 'FROM Track' FROM Album -- JOIN Track", SCHEMA).map((r) => r.table.name)).toEqual(['Album']);
  });

  it('quotes names that need it when inserting', () => {
    expect(at('SELECT * FROM |')!.find((c) => c.label === 'Order Lines')!.insertText).toBe('"Order Lines"');
    expect(quoteName('Track')).toBe('Track');
    expect(quoteName('order')).toBe('"order"');
    expect(quoteName('we"ird')).toBe('"we""ird"');
  });

  it('after { offers the variables and the placeholders already written, closing the brace', () => {
    const list = at('SELECT * FROM Track WHERE TrackId = {| AND Name = {other}');
    expect(labels(list)).toEqual(['id', 'title', 'other']);
    expect(list![0]!.insertText).toBe('id}');
    expect(list![0]!.detail).toBe('integer');
    expect(at('SELECT {i|}')![0]!.insertText).toBe('id');
  });

  it('offers nothing inside strings and comments', () => {
    expect(at("SELECT * FROM Track WHERE Name = 'Fr|")).toBeNull();
    expect(at('SELECT 1 -- FROM |')).toBeNull();
    expect(at('SELECT /* t.| */ 1')).toBeNull();
    expect(at("SELECT 'a' , |")).not.toBeNull();
  });

  it('works without a schema (introspection not loaded or failed)', () => {
    const list = sqlCompletions('SELECT * FROM ', 14, { schema: null, variables: [] });
    expect(list!.every((c) => c.kind === 'keyword')).toBe(true);
  });

  it('tells where the cursor is', () => {
    expect(cursorPlace('SELECT {ab')).toEqual({ at: 'variable', prefix: 'ab' });
    expect(cursorPlace('SELECT "My Table".co')).toEqual({ at: 'member', qualifier: 'My Table', prefix: 'co' });
    expect(cursorPlace('SELECT co')).toEqual({ at: 'word', prefix: 'co' });
    expect(blankLiterals("a 'b' -- c\nd")).toBe(`a${' '.repeat(9)}\nd`);
  });
});
