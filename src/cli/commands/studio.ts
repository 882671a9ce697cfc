import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { ensureSampleProject } from '../../project/sample.js';
import { StudioService } from '../../service/studio-service.js';
import { startWebServer, type WebServer } from '../../web/server.js';
import { processIo, untilSignal, type CliIo } from '../io.js';
import { failWith } from './fail.js';

export interface StudioOptions {
  port?: number;
  host?: string;
  rendererDir?: string;
}

export interface RunningStudio {
  service: StudioService;
  server: WebServer;
  close(): Promise<void>;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('a port is a number from 0 to 65535 (0 picks a free one)');
  return port;
}

/** Starts web mode: the service, the given projects (a folder that fails to open is reported, not fatal), the server. */
export async function startStudio(dirs: string[], options: StudioOptions = {}, io: CliIo = processIo): Promise<RunningStudio> {
  const service = new StudioService({ logToStderr: true });
  for (const dir of dirs) {
    try {
      await service['project.open']({ dir: resolve(dir) });
    } catch (e) {
      io.err(`trellis studio: cannot open ${dir}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  let server: WebServer;
  try {
    server = await startWebServer({ service, port: options.port ?? 0, host: options.host ?? '127.0.0.1', rendererDir: options.rendererDir });
  } catch (e) {
    await service.dispose();
    throw e;
  }
  return {
    service,
    server,
    async close() {
      await server.close();
      await service.dispose();
    },
  };
}


export function registerStudio(program: Command): void {
  program
    .command('studio [dir...]')
    .description('open the studio in web mode: serves the UI and the studio API on 127.0.0.1 and prints the URL to open')
    .option('--port <n>', 'port to listen on (0 picks a free port)', parsePort, 0)
    .option('--host <h>', 'address to listen on', '127.0.0.1')
    .option('--sample', 'with no folder given: open the sample project (copied to $TRELLIS_HOME/chinook, else ~/Trellis/chinook, on first use); npm start passes it')
    .action(async (dirs: string[], opts: { port: number; host: string; sample?: boolean }) => {
      let studio: RunningStudio;
      try {
        const folders = dirs?.length || !opts.sample ? (dirs ?? []) : [await ensureSampleProject()];
        studio = await startStudio(folders, { port: opts.port, host: opts.host });
      } catch (e) {
        failWith(e);
        return;
      }
      // The one stdout line scripts (npm start, the e2e tests) read the URL from; logs go to stderr.
      // listen for the stop signal before printing: a script may send it as soon as it reads the line
      const stopped = untilSignal();
      processIo.out(`Trellis studio (web mode): ${studio.server.url}`);
      await stopped;
      await studio.close();
    });
}
