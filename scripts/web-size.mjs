// Prints the web app's bundle sizes after `npm run build:web`, raw and gzipped: what a first visit downloads.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stdout } from 'node:process';
import { gzipSync } from 'node:zlib';

const dir = join(import.meta.dirname, '..', 'dist', 'web');
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
let total = 0;
for (const name of readdirSync(dir).filter((file) => !file.endsWith('.map')).sort()) {
  const content = readFileSync(join(dir, name));
  const gzipped = gzipSync(content, { level: 9 }).length;
  total += gzipped;
  stdout.write(`web bundle: ${name.padEnd(12)} ${kB(content.length).padStart(9)}, ${kB(gzipped).padStart(8)} gzipped\n`);
}
stdout.write(`web bundle: total ${kB(total)} gzipped\n`);
