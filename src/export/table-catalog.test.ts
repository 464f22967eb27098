import { describe, expect, it } from 'vitest';
import { EXCLUDED, OPTIONAL, allTables, exportedTables, foreignKeyOrder, type CatalogTable } from './table-catalog.js';

const table = (name: string, parents: string[] = []): CatalogTable => ({ name, columns: [], primaryKey: [], parents });

describe('table catalog', () => {
  it('exports every table of the schema unless it is excluded or optional, each with its reason', () => {
    const names = allTables().map((entry) => entry.name);
    for (const name of [...Object.keys(EXCLUDED), ...Object.keys(OPTIONAL)]) expect(names, `${name} is not in the schema any more`).toContain(name);
    const exported = exportedTables({ includeOptional: true }).map((entry) => entry.name);
    expect(exported.sort()).toEqual(names.filter((name) => !(name in EXCLUDED)).sort());
    expect(exportedTables({ includeOptional: false }).map((entry) => entry.name)).not.toContain('ocpp_messages');
    expect(exported).toEqual(expect.arrayContaining(['stations', 'connectors', 'id_tags', 'transactions', 'meter_values']));
  });

  it('names columns as the database does, with their types and keys', () => {
    const transactions = allTables().find((entry) => entry.name === 'transactions')!;
    expect(transactions.primaryKey).toEqual(['id']);
    expect(transactions.parents).toEqual(['stations']);
    expect(transactions.columns).toContainEqual({ name: 'meter_start_wh', sqlType: 'bigint', generated: false, identity: false });
    expect(transactions.columns).toContainEqual({ name: 'flags', sqlType: 'text[]', generated: false, identity: false });
    expect(allTables().find((entry) => entry.name === 'connectors')!.primaryKey).toEqual(['station_id', 'connector_id']);
  });

  it('puts every table after the tables it references', () => {
    const ordered = allTables();
    ordered.forEach((entry, index) => {
      for (const parent of entry.parents) expect(ordered.findIndex((other) => other.name === parent)).toBeLessThan(index);
    });
    expect(foreignKeyOrder([table('c', ['b']), table('b', ['a']), table('a')]).map((entry) => entry.name)).toEqual(['a', 'b', 'c']);
    expect(() => foreignKeyOrder([table('a', ['b']), table('b', ['a'])])).toThrow(/cycle/);
  });

  it('exports the tenants before every table that names its tenant', () => {
    const names = exportedTables({ includeOptional: true }).map((entry) => entry.name);
    const owned = allTables().filter((entry) => entry.parents.includes('tenants') && !(entry.name in EXCLUDED));
    expect(owned.map((entry) => entry.name)).toEqual(expect.arrayContaining(['stations', 'sites', 'id_tags', 'invoices', 'document_counters', 'billable_sessions']));
    for (const entry of owned) expect(names.indexOf('tenants'), entry.name).toBeLessThan(names.indexOf(entry.name));
  });
});
