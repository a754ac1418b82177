import { createDirPublisher } from '../publish/dir-publisher.js';
import type { PageHandler } from './ui-context.js';

/**
 * `/ui/lists/<tenant>/<file>`: a list as devices get it, for a logged-in admin, without the
 * tenant's feed credentials. From the feed server's memory when the tenant is served, else
 * from `publish.dir`; 404 for a list the configuration does not name or not yet published.
 *
 * @example
 * registerPage(scope, '/lists/:tenant/:file', context, sessions, listDownload);
 */
export const listDownload: PageHandler = async (context, { request, reply }) => {
  const { tenant, file } = request.params as { tenant: string; file: string };
  const { config } = context.serve;
  const list = config.tenants.find((t) => t.id === tenant)?.lists.find((l) => l.file === file);
  if (list === undefined) {
    await reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
    return null;
  }

  const served = context.serve.catalog.get(tenant, file);
  const bytes = served?.bytes ?? (await createDirPublisher(config.publish.dir).read(tenant, file));
  if (bytes === null) {
    await reply.code(404).type('text/plain; charset=utf-8').send('not published yet\n');
    return null;
  }
  // The names come from the configuration, which allows [A-Za-z0-9._-] only.
  await reply
    .header('content-disposition', `attachment; filename="${tenant}-${file}"`)
    .type(served?.contentType ?? 'text/plain; charset=utf-8')
    .send(bytes);
  return null;
};
