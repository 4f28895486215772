/**
 * PEP 735 dependency groups: `[dependency-groups]` in pyproject.toml, where a group lists
 * requirements and `{ include-group = "other" }` tables. Group names compare normalised (PEP 503).
 */
import { ProjectError, UserError } from '@ferrowheel/kit/errors';
import { type TomlTable, tomlGet } from '@ferrowheel/kit/project';
import { normaliseName } from '@ferrowheel/kit/wheel';

export interface GroupSource {
  /** The pyproject.toml path, for messages. */
  file: string;
  table: TomlTable | undefined;
}

type Groups = Map<string, { name: string; items: unknown[] }>;

function groupsOf(source: GroupSource): Groups {
  const raw = tomlGet(source.table, ['dependency-groups']);
  const groups: Groups = new Map();
  if (raw === undefined) return groups;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ProjectError(
      source.file,
      '[dependency-groups] is not a table',
      'Write it as `[dependency-groups]` with `name = [...]` entries.',
    );
  }
  for (const [name, items] of Object.entries(raw)) {
    if (!Array.isArray(items)) {
      throw new ProjectError(
        source.file,
        `dependency group '${name}' is not a list`,
        `Write it as ${name} = ["pytest>=8"].`,
      );
    }
    groups.set(normaliseName(name), { name, items });
  }
  return groups;
}

function expand(source: GroupSource, groups: Groups, name: string, trail: string[]): string[] {
  const key = normaliseName(name);
  const group = groups.get(key);
  if (!group) throw new Error(`unknown group ${name}`);
  if (trail.includes(key)) {
    throw new ProjectError(
      source.file,
      `dependency group '${name}' includes itself (${[...trail, key].join(' → ')})`,
      'Remove the include-group cycle.',
    );
  }
  const requirements: string[] = [];
  for (const item of group.items) {
    if (typeof item === 'string') {
      // Each entry becomes one installer argv word: one starting with '-' would be an option.
      if (item.trim().startsWith('-')) {
        throw new ProjectError(
          source.file,
          `dependency group '${group.name}' holds '${item}', an installer option, not a requirement`,
          'PEP 735 groups list PEP 508 requirements only; remove the entry (set index options in PIP_INDEX_URL / UV_INDEX_URL).',
        );
      }
      requirements.push(item.trim());
      continue;
    }
    const include =
      item !== null && typeof item === 'object'
        ? (item as Record<string, unknown>)['include-group']
        : undefined;
    if (typeof include !== 'string') {
      throw new ProjectError(
        source.file,
        `dependency group '${group.name}' holds ${JSON.stringify(item)}, which is neither a requirement nor { include-group = "..." }`,
        'Fix the entry (PEP 735).',
      );
    }
    if (!groups.has(normaliseName(include))) {
      throw new ProjectError(
        source.file,
        `dependency group '${group.name}' includes '${include}', which is not defined`,
        `Define [dependency-groups] ${include}, or remove the include.`,
      );
    }
    requirements.push(...expand(source, groups, include, [...trail, key]));
  }
  return requirements;
}

/**
 * The requirements of the named groups, looked up in each source in order (the project's
 * pyproject.toml first, then the course layout's sample/pyproject.toml). Duplicates dropped.
 */
export function resolveGroups(sources: readonly GroupSource[], names: readonly string[]): string[] {
  const parsed = sources.map((source) => ({ source, groups: groupsOf(source) }));
  const requirements: string[] = [];
  for (const name of names) {
    const owner = parsed.find((p) => p.groups.has(normaliseName(name)));
    if (!owner) {
      const known = parsed.flatMap((p) => [...p.groups.values()].map((g) => g.name));
      const where = sources.map((s) => s.file).join(' or ');
      throw new UserError(
        `Input 'groups' names '${name}', which is not a dependency group in ${where}. ` +
          (known.length > 0
            ? `Defined groups: ${[...new Set(known)].join(', ')}.`
            : 'No [dependency-groups] table is defined there; add one (PEP 735), or use requirements instead.'),
      );
    }
    requirements.push(...expand(owner.source, owner.groups, name, []));
  }
  return [...new Set(requirements)];
}
