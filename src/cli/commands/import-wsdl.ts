import type { Command } from 'commander';
import { importWsdl } from '../../wsdl/import.js';
import type { ImportProgress, WsdlImportSummary } from '../../wsdl/types.js';
import { processIo } from '../io.js';
import { failWith } from './fail.js';
import { humanSummary, jsonSummary } from './import-openapi.js';

interface Options {
  connector?: string;
  binding?: string;
  service?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** `trellis import wsdl <dir> <fileOrUrl>`: registered next to `import openapi` under `trellis import`. */
export function registerImportWsdl(importCommand: Command): void {
  importCommand
    .command('wsdl <dir> <fileOrUrl>')
    .description('import a WSDL 1.1 (file or http(s) URL, with its wsdl/xsd imports) as a SOAP connector with one transaction per operation; importing again updates it')
    .option('--connector <name>', 'connector name (default: from the service name); an existing connector of that name is updated')
    .option('--binding <version>', 'soap11 or soap12, when the WSDL offers both (default soap11)')
    .option('--service <name>', 'the WSDL service the connector calls, when there are several (default: the one with the most operations)')
    .option('--dry-run', 'show what would change, write nothing')
    .option('--json', 'print one JSON object: { connector, imported, skipped, warnings, diff, ... }')
    .action(async (dir: string, source: string, opts: Options) => {
      try {
        if (opts.binding !== undefined && opts.binding !== 'soap11' && opts.binding !== 'soap12') throw new Error(`--binding ${opts.binding}: expected soap11 or soap12`);
        const progress = !opts.json && process.stderr.isTTY ? ttyProgress() : undefined;
        let summary: WsdlImportSummary;
        try {
          summary = await importWsdl(dir, source, {
            connectorName: opts.connector,
            binding: opts.binding as 'soap11' | 'soap12' | undefined,
            service: opts.service,
            dryRun: opts.dryRun,
            onProgress: progress?.update,
          });
        } finally {
          progress?.clear();
        }
        if (opts.json) processIo.out(JSON.stringify(jsonSummary(summary)));
        else processIo.out(humanSummary(summary, source));
      } catch (e) {
        failWith(e);
      }
    });
}

function ttyProgress(): { update: (p: ImportProgress) => void; clear: () => void } {
  let shown = false;
  return {
    update: (p) => {
      process.stderr.write(`\r${p.phase}${p.total ? ` ${p.done ?? 0}/${p.total}` : ''}\u001b[K`);
      shown = true;
    },
    clear: () => {
      if (shown) process.stderr.write('\r\u001b[K');
    },
  };
}
