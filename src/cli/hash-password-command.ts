import type { Command } from 'commander';
import { hashPassword } from '../serve/password-hash.js';
import { EXIT } from './exit-codes.js';

/**
 * `iocrelay hash-password`: reads a feed password on stdin (first line) and prints its scrypt
 * hash for `feed_auth.password_hash`, so the password itself need not be in the config or
 * the environment. Never takes the password as an argument: it would land in shell history
 * and in `ps`.
 */
export function registerHashPasswordCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('hash-password')
    .description('Read a feed password on stdin, print its hash for feed_auth.password_hash')
    .action(async () => {
      if (process.stdin.isTTY) process.stderr.write('password (then Enter): ');
      const password = await firstLine(process.stdin);
      if (password.length < 12) {
        process.stderr.write('error: the password must be at least 12 characters\n');
        setExitCode(EXIT.USAGE);
        return;
      }
      process.stdout.write(`${await hashPassword(password)}\n`);
      setExitCode(EXIT.OK);
    });
}

async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return (text.split('\n')[0] ?? '').replace(/\r$/, '');
}
