import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: repo });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(repo, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// The lint is what keeps DESIGN.md's dependency directions true: these imports must fail CI.
describe('layer rules', () => {
  it('refuses a renderer file that imports the engine, Node or main/', async () => {
    expect(await restricted('renderer/features/x.ts', "import { executeTransaction } from '../../src/engine/execute-transaction.js';\nexport const x = executeTransaction;\n")).toHaveLength(1);
    expect(await restricted('renderer/features/x.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n")).toHaveLength(1);
    expect(await restricted('renderer/features/x.ts', "import { x } from '../../main/ipc.js';\nexport const y = x;\n")).toHaveLength(1);
  });

  it('lets the renderer import src/contract and src/model', async () => {
    expect(await restricted('renderer/features/x.ts', "import { methods } from '../../src/contract/index.js';\nimport { nameSchema } from '../../src/model/index.js';\nexport const x = [methods, nameSchema];\n")).toEqual([]);
  });

  it('refuses an engine file that imports electron, react or renderer/', async () => {
    expect(await restricted('src/engine/x.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
    expect(await restricted('src/engine/x.ts', "import React from 'react';\nexport const x = React;\n")).toHaveLength(1);
    expect(await restricted('src/engine/x.ts', "import { App } from '../../renderer/App.js';\nexport const x = App;\n")).toHaveLength(1);
  });

  it('keeps src/model and src/contract isomorphic and self-contained', async () => {
    expect(await restricted('src/model/x.ts', "import { readFile } from 'node:fs';\nexport const x = readFile;\n")).toHaveLength(1);
    expect(await restricted('src/contract/x.ts', "import { TrellisError } from '../engine/errors.js';\nexport const x = TrellisError;\n")).toHaveLength(1);
    expect(await restricted('src/contract/x.ts', "import { nameSchema } from '../model/index.js';\nexport const x = nameSchema;\n")).toEqual([]);
  });
});
