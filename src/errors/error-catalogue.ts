/**
 * Every error iocrelay reports, by stable code. A code never changes meaning once released; the
 * message says what happened and what to do next. docs/errors.md lists the same codes and a test
 * keeps the two in step. Messages never carry secrets: details are limited to names, paths, URLs
 * without credentials and HTTP statuses.
 *
 * @example
 * throw new IocrelayError('MISP_AUTH_FAILED', { url: 'https://misp.example' });
 */
export const ERROR_CATALOGUE = {
  CONFIG_NOT_FOUND: {
    message: 'The configuration file cannot be read. Check the --config path and its permissions.',
  },
  CONFIG_INVALID: {
    message: 'The configuration has problems (listed below). Fix each one; nothing was run.',
  },
  MISP_AUTH_FAILED: {
    message:
      'MISP refused the API key (HTTP 401/403). Check misp.api_key and that the key is active and allowed to use the REST API.',
  },
  MISP_LOGIN_REDIRECT: {
    message:
      'MISP answered with a redirect to its login page instead of JSON. The API key was not accepted, or misp.url points at the web UI behind an SSO proxy.',
  },
  MISP_NOT_JSON: {
    message:
      'MISP answered with something that is not JSON (an HTML page?). Check misp.url and any proxy in front of MISP.',
  },
  MISP_BAD_SHAPE: {
    message:
      'MISP answered with JSON that does not have the shape of a restSearch answer. Check misp.url and the MISP version.',
  },
  MISP_TRUNCATED: {
    message:
      'The MISP answer was cut off or is not valid JSON. Check the network path and proxies; retry the run.',
  },
  MISP_MEMORY_EXHAUSTED: {
    message:
      'MISP ran out of memory building the answer. Lower misp.page_size, or raise PHP memory_limit on the MISP server.',
  },
  MISP_HTTP_ERROR: {
    message:
      'MISP answered with an HTTP error. Check the MISP server logs; the status is in the error details.',
  },
  MISP_UNREACHABLE: {
    message:
      'MISP cannot be reached (connection refused, DNS or network failure). Check misp.url and the network path.',
  },
  MISP_TIMEOUT: {
    message:
      'MISP did not answer within misp.timeout. Raise misp.timeout or lower misp.page_size, and check the MISP server load.',
  },
  MISP_TLS_FAILED: {
    message:
      'The TLS certificate of MISP could not be verified. Give the private CA in misp.ca_file; turn misp.verify_tls off only as a last resort.',
  },
  MISP_RESPONSE_TOO_LARGE: {
    message:
      'A MISP answer was larger than iocrelay accepts for one page. Lower misp.page_size so each page stays smaller.',
  },
  FEED_UNREACHABLE: {
    message: 'The MISP feed cannot be read. Check the feed path or URL in feeds[].',
  },
  FEED_TLS_FAILED: {
    message:
      'The TLS certificate of the feed server could not be verified. Give its CA in feeds[].ca_file; turn feeds[].verify_tls off only as a last resort.',
  },
  FEED_HTTP_ERROR: {
    message: 'The MISP feed server answered with an HTTP error. Check the feed URL in feeds[].',
  },
  FEED_BAD_MANIFEST: {
    message:
      'The feed manifest.json is missing or not a MISP feed manifest. Check that feeds[] points at the folder or URL holding manifest.json.',
  },
  FEED_BAD_EVENT: {
    message:
      'A feed event file is missing or is not a MISP event. Check the feed: its manifest names an event the feed does not serve correctly.',
  },
  FEED_RESPONSE_TOO_LARGE: {
    message:
      'A feed file was larger than iocrelay accepts. Check that feeds[] points at a MISP feed; a file this large is not an event iocrelay can hold.',
  },
  STORE_FAILED: {
    message:
      'The iocrelay database could not be opened or written. Check the database path, free disk space and permissions.',
  },
  STORE_BUSY: {
    message:
      'Another process is writing the iocrelay database (a sync still running?). Wait for it to finish or space the runs further apart; nothing was changed.',
  },
  STORE_MIGRATION_FAILED: {
    message:
      'The database schema could not be migrated. Restore the last backup of the database and report the error.',
  },
  STORE_NEWER_THAN_CODE: {
    message:
      'The database was written by a newer iocrelay (it holds a migration this version does not know); nothing was changed. Run that newer version, or restore the backup taken before it upgraded the database.',
  },
  BACKUP_TARGET_EXISTS: {
    message:
      'The backup file named by --out already exists; nothing was written. Choose another name, or add --force to replace it.',
  },
  BACKUP_FAILED: {
    message:
      'The backup was not made (the step and the problem are in the details) and no file was left at --out. Check the database path, free space and permissions of the target folder, then run the backup again; if the copy failed its integrity check, check the database itself with `sqlite3 FILE "PRAGMA integrity_check"`.',
  },
  PUBLISH_DIR_FAILED: {
    message:
      'A list file could not be written to publish.dir. Check that the folder exists or can be created, free disk space and permissions.',
  },
  PUBLISH_S3_FAILED: {
    message:
      'A list could not be uploaded to, or read back from, the S3 bucket. Check publish.s3: the bucket name, region and endpoint, the credentials, and that they allow s3:GetObject, s3:PutObject and s3:ListBucket on the bucket (s3:PutObjectAcl too when public_read is on).',
  },
  PUBLISH_TARGET_FAILED: {
    message:
      'A list reached some publish targets but not all (see targets). The others were written; the failed ones are tried again at the next run. Check the failed target.',
  },
  PUBLISH_TARGET_SKIPPED: {
    message:
      'This publish target already failed earlier in this run, so it was not tried again for this list; the next run tries it again. See the first failure of the target in the log.',
  },
  SYNC_SOURCE_FAILED: {
    message:
      'A source failed, so this run published nothing: the last good lists stay as they were and the next run starts from the same point.',
  },
  SYNC_STOPPED: {
    message:
      'The run was stopped while it pulled (iocrelay received SIGTERM or SIGINT), so it published nothing: the last good lists stay as they were and the next run starts from the same point.',
  },
  VALUE_INVALID: {
    message:
      'The value is not an IP, CIDR, domain, URL or hash iocrelay understands. Check the value (defanged forms such as hxxp and [.] are accepted).',
  },
  WARNINGLIST_DIR_MISSING: {
    message:
      'The warninglists folder is missing or holds no list.json. Point the setting at a folder with one sub-folder per list (the lists/ folder of a misp-warninglists checkout).',
  },
  WARNINGLIST_INVALID: {
    message:
      'One or more warninglist files are not valid (each file and problem is in the details). Fix or remove those files; no warninglist was loaded.',
  },
  WARNINGLIST_UNKNOWN: {
    message:
      'A configured warninglist name matches no loaded list. Use the name field of a list.json (not its folder name), spelled exactly; the unknown names are in the details.',
  },
  TENANT_UNKNOWN: {
    message: 'No tenant has that id in the configuration. Check --tenant against tenants[].id.',
  },
  ALLOW_ENTRY_INVALID: {
    message:
      'The value cannot be an allowlist entry (the problem is in the details). Give one IP, CIDR, domain (it covers its subdomains) or URL prefix; hashes, wildcards and public suffixes are refused. Nothing was changed.',
  },
  ALLOW_ENTRY_TOO_WIDE: {
    message:
      'A runtime allowlist entry may cover at most an IPv4 /8 or an IPv6 /32 (IPv4 space written in IPv6 counts as IPv4). Add a narrower entry; a deliberate wider exception belongs in the reviewed configuration file (`allow:` or tenants[].allow). Nothing was changed.',
  },
  ALLOW_REASON_REQUIRED: {
    message:
      'An allowlist change needs a reason: one line of 1 to 500 characters saying why (a ticket, the owner of the address). Nothing was changed.',
  },
  ALLOW_REASON_INVALID: {
    message:
      'An allowlist reason must be one line (no line break or control character) of at most 500 characters; the details give its length. Shorten it or put the rest in the ticket it names. Nothing was changed.',
  },
  ALLOW_ACTOR_REQUIRED: {
    message:
      'An allowlist change needs the name of who makes it: one line of 1 to 100 characters (a login or a service account). Nothing was changed.',
  },
  ALLOW_TENANT_UNKNOWN: {
    message:
      'No tenant has that id in the configuration. Use one of tenants[].id (listed in the details), or leave the tenant out to allowlist for every tenant. Nothing was changed.',
  },
  ALLOW_ENTRY_EXISTS: {
    message:
      'The value is already allowlisted for that tenant or for every tenant (the existing entry is in the details). Nothing was changed; remove the existing entry first to change its reason.',
  },
  ALLOW_ENTRY_NOT_FOUND: {
    message:
      'No active runtime allowlist entry has that id: it was never added or is already removed. Find the ids with `iocrelay allow list`; configured entries are changed in the configuration file.',
  },
  ALLOW_ENTRY_ID_INVALID: {
    message:
      'An allowlist entry id is a whole number from 1, written in decimal digits only (as `iocrelay allow list` shows it). Nothing was removed.',
  },
  REPORT_TENANT_UNKNOWN: {
    message:
      'No tenant has that id in the configuration, so there is no report to write. Check --tenant against tenants[].id (listed in the details).',
  },
  REPORT_MONTH_INVALID: {
    message:
      'The report month must be written YYYY-MM (for example 2026-11), from 1970-01, and must have begun. Nothing was written.',
  },
  REPORT_TARGET_EXISTS: {
    message:
      'The file named by --out already exists; nothing was written. Choose another name, or add --force to replace it.',
  },
  REPORT_WRITE_FAILED: {
    message:
      'The report could not be written to --out (the path and the reason are in the details); an existing file there was left as it was. Check that the folder exists, its permissions and free space.',
  },
  REPORT_CHROMIUM_MISSING: {
    message:
      'A PDF report needs Chromium and none was found. Install it (Debian: apt-get install chromium), or set IOCRELAY_CHROMIUM to its executable; or write HTML (leave out --pdf) and print that.',
  },
  REPORT_PDF_FAILED: {
    message:
      'Chromium could not print the report to PDF (the cause is in the details). Check that IOCRELAY_CHROMIUM points at a working Chromium and that /tmp is writable; the HTML report can still be written.',
  },
} as const satisfies Record<string, { readonly message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
