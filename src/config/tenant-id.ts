/** Tenant ids and feed names: they become folder names and source ids. */
export const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
