import { pathToFileURL } from 'node:url';
import { constants, Script } from 'node:vm';

/*
 * janode is ESM-only, and this build is CommonJS (tsconfig: "module": "commonjs"), under which tsc rewrites
 * `import('janode')` into `require('janode')`. Node 20.19 could require() it, but Jest's module registry refuses to
 * require an ES module, so a test could never load the adapter. The import() is therefore compiled at run time,
 * where tsc cannot rewrite it, and typed here with the package's declarations (janode.d.ts):
 *
 * - in a plain Node process, by `new Function`: a real import() through Node's ESM loader;
 * - inside a vm context (Jest runs every test file in one), Node refuses a dynamic import from code compiled there
 *   (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING…), so the same import() is compiled in the process's main context with
 *   Node's default loader (vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, which Node flags as experimental with one
 *   warning). janode's objects then come from the main context: its errors are not `instanceof Error` there, which
 *   is why the adapter reads errors by their fields.
 *
 * Specifiers are resolved to file URLs from this file first, so the loader finds the package wherever the process
 * was started from.
 */

export type Janode = (typeof import('janode'))['default'];
export type VideoRoomPlugin = (typeof import('janode/plugins/videoroom'))['default'];

type Importer = (url: string) => Promise<unknown>;

// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point: an import() that tsc does not rewrite (see above)
const nativeImport = new Function('url', 'return import(url)') as Importer;
let mainContextImport: Importer | undefined;

function refusedInVm(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING');
}

async function importModule(specifier: string): Promise<unknown> {
  const url = pathToFileURL(require.resolve(specifier)).href;
  try {
    return await nativeImport(url);
  } catch (error) {
    if (!refusedInVm(error)) throw error;
    mainContextImport ??= new Script('(url) => import(url)', { importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }).runInThisContext() as Importer;
    return mainContextImport(url);
  }
}

let loaded: Promise<{ Janode: Janode; VideoRoom: VideoRoomPlugin }> | undefined;

/** janode and its VideoRoom plugin, imported once per process (again after a failed import). */
export function loadJanode(): Promise<{ Janode: Janode; VideoRoom: VideoRoomPlugin }> {
  if (!loaded) {
    loaded = (async () => {
      const [janode, videoRoom] = await Promise.all([importModule('janode'), importModule('janode/plugins/videoroom')]);
      return {
        Janode: (janode as typeof import('janode')).default,
        VideoRoom: (videoRoom as typeof import('janode/plugins/videoroom')).default,
      };
    })();
    loaded.catch(() => (loaded = undefined));
  }
  return loaded;
}
