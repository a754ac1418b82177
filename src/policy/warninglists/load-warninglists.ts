import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { z } from 'zod';

import { IocrelayError } from '../../errors/iocrelay-error.js';
import { warninglistEntryProblems } from './entry-problems.js';
import { WARNINGLIST_TYPES } from './warninglist.js';
import type { Warninglist } from './warninglist.js';
import { WarninglistError } from './warninglist-error.js';
import type { WarninglistProblem } from './warninglist-error.js';

/** Problems shown per file; a file that is wholly wrong would otherwise bury the others. */
const MAX_PROBLEMS_PER_FILE = 5;

// The misp-warninglists schema.json: the same required fields and types. Keys the schema does
// not know are ignored rather than refused, so that a newer upstream field does not stop a run.
const listFileSchema = z.object({
  name: z.string().regex(/\S/, 'must not be empty'),
  description: z.string(),
  version: z.number().int(),
  type: z.enum(WARNINGLIST_TYPES),
  matching_attributes: z.array(z.string()).optional(),
  list: z.array(z.string()),
});

/**
 * Reads the MISP warninglists in a folder: `list.json` in each sub-folder (the layout of the
 * misp-warninglists `lists/` folder) and a `list.json` in the folder itself, in path order.
 * Every file is validated against the misp-warninglists schema, its `cidr` and `regex` entries
 * are parsed, and names must be unique (configuration picks lists by name, as MISP does). All
 * bad files are reported at once in a WarninglistError (WARNINGLIST_INVALID); a folder that is
 * missing or holds no list is WARNINGLIST_DIR_MISSING.
 *
 * @example
 * const lists = await loadWarninglists('/srv/misp-warninglists/lists');
 * lists[0]; // { name: 'List of known Akamai IP ranges', type: 'cidr', … }
 */
export async function loadWarninglists(dir: string): Promise<Warninglist[]> {
  const root = resolve(dir);
  const files = await findListFiles(root);

  const results = await Promise.all(files.map(readWarninglist));
  const problems = results.flatMap((result) => (Array.isArray(result) ? result : []));
  const lists = results.filter((result): result is Warninglist => !Array.isArray(result));
  problems.push(...duplicateNames(lists));

  if (problems.length > 0) throw new WarninglistError(root, problems);
  return lists;
}

async function findListFiles(root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (error) {
    throw new IocrelayError(
      'WARNINGLIST_DIR_MISSING',
      { dir: root, reason: 'cannot be read' },
      { cause: error },
    );
  }

  const candidates = [
    join(root, 'list.json'),
    ...names.map((name) => join(root, name, 'list.json')),
  ];
  const isListFile = await Promise.all(candidates.map(isFile));
  const files = candidates.filter((_, i) => isListFile[i]).sort();
  if (files.length === 0) {
    throw new IocrelayError('WARNINGLIST_DIR_MISSING', {
      dir: root,
      reason: 'no list.json in it or in its sub-folders',
    });
  }
  return files;
}

// A sub-folder without a list.json (a .git folder) is not a list. A list.json that exists but
// cannot be read is kept, so that reading it reports the problem.
async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function readWarninglist(file: string): Promise<Warninglist | WarninglistProblem[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'is not JSON' : 'cannot be read';
    return [{ file, message: `${reason} (${(error as Error).message})` }];
  }

  const parsed = listFileSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`,
    );
    return capped(file, lines);
  }

  const { name, description, version, type, matching_attributes, list } = parsed.data;
  const entryProblems = warninglistEntryProblems(type, list);
  if (entryProblems.length > 0) return capped(file, entryProblems);

  return {
    name,
    description,
    version,
    type,
    matchingAttributes: matching_attributes ?? [],
    entries: list,
    file,
  };
}

function capped(file: string, lines: readonly string[]): WarninglistProblem[] {
  const shown = lines.slice(0, MAX_PROBLEMS_PER_FILE).map((message) => ({ file, message }));
  if (lines.length > MAX_PROBLEMS_PER_FILE) {
    shown.push({ file, message: `and ${lines.length - MAX_PROBLEMS_PER_FILE} more problems` });
  }
  return shown;
}

function duplicateNames(lists: readonly Warninglist[]): WarninglistProblem[] {
  const firstFile = new Map<string, string>();
  const problems: WarninglistProblem[] = [];
  for (const list of lists) {
    const first = firstFile.get(list.name);
    if (first === undefined) firstFile.set(list.name, list.file);
    else
      problems.push({
        file: list.file,
        message: `name: ${JSON.stringify(list.name)} is also the name of ${first}`,
      });
  }
  return problems;
}
