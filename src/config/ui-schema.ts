import { z } from 'zod';

import { parsePasswordHash } from '../serve/password-hash.js';
import { duration } from './duration.js';

const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;

const adminSchema = z
  .strictObject({
    username: z
      .string()
      .regex(USERNAME, 'must be 1–64 letters, digits or . _ @ -')
      .meta({ description: 'Login name of a SOC admin.', examples: ['alice'] }),
    password_hash: z
      .string()
      .refine((text) => parsePasswordHash(text) !== null, {
        message: 'must be a hash printed by `iocrelay hash-password`',
      })
      .meta({
        description:
          'The admin password as a scrypt hash from `iocrelay hash-password`; the password itself is never accepted here.',
        examples: ['scrypt$16384$8$1$…$…'],
      }),
  })
  .meta({ description: 'One dashboard admin.' });

/**
 * `ui`: the SOC dashboard of `iocrelay serve` under `/ui`. Left out, the dashboard is off.
 *
 * @example
 * uiSchema.parse({ admins: [{ username: 'alice', password_hash: 'scrypt$16384$8$1$…' }] });
 */
export const uiSchema = z
  .strictObject({
    admins: z
      .array(adminSchema)
      .min(1, 'must name at least one admin')
      .refine((admins) => new Set(admins.map((a) => a.username)).size === admins.length, {
        message: 'user names must be unique',
      })
      .meta({ description: 'Who may log in to the dashboard (not the tenants’ feed users).' }),
    session_ttl: duration({
      min: 60,
      max: 7 * 86_400,
      default: '8h',
      description: 'A dashboard session ends this long after login.',
      example: '8h',
    }),
    misp_url: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL of the MISP instance' })
      .optional()
      .meta({
        description: 'Base URL for links to MISP events; misp.url when left out.',
        examples: ['https://misp.example'],
      }),
  })
  .meta({ description: 'The SOC dashboard of `iocrelay serve` under /ui; off when left out.' });

export type UiConfig = z.output<typeof uiSchema>;
