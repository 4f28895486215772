/**
 * The Debian mirror the images come from: `FERROWHEEL_DEBIAN_MIRROR`, else the first Debian mirror
 * apt is configured with here (deb822 or one-line format; a machine whose apt points at a proxy
 * or snapshot keeps using it), else deb.debian.org. Ubuntu's archive serves other packages and is
 * never picked.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function aptMirror(): string {
  const override = process.env.FERROWHEEL_DEBIAN_MIRROR;
  if (override) return override;
  const candidates: string[] = [];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) {
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith('.sources'))
      .sort()) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      for (const m of text.matchAll(/^URIs:\s*(\S+)/gm)) candidates.push(m[1]!);
    }
  }
  if (existsSync('/etc/apt/sources.list')) {
    const text = readFileSync('/etc/apt/sources.list', 'utf8');
    for (const m of text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)) candidates.push(m[1]!);
  }
  return candidates.find((u) => /\/debian\/?$/.test(u)) ?? 'http://deb.debian.org/debian';
}
