# iocrelay image: `iocrelay serve` as a non-root user, data on a volume.
#   docker build -t iocrelay .
# Configuration, volumes, backup and upgrade: docs/operations.md ("Running it with Docker").

# --- build: the toolchain better-sqlite3 compiles with, all dependencies, tsc -------------
FROM node:20-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
# `prepare` would build dist/ before the sources are here: scripts off, then the one native
# module built on its own.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime: Node, the compiled code and production dependencies, nothing else ------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    IOCRELAY_CONFIG=/etc/iocrelay/iocrelay.yaml
RUN groupadd --system --gid 10001 iocrelay \
 && useradd --system --uid 10001 --gid iocrelay --home-dir /var/lib/iocrelay \
      --shell /usr/sbin/nologin iocrelay \
 && mkdir -p /var/lib/iocrelay /etc/iocrelay \
 && chown iocrelay:iocrelay /var/lib/iocrelay \
 && chmod 0750 /var/lib/iocrelay
WORKDIR /opt/iocrelay
# package.json says the compiled files are ES modules; bin/iocrelay.js starts dist/cli/main.js.
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/bin ./bin
RUN ln -s /opt/iocrelay/bin/iocrelay.js /usr/local/bin/iocrelay

USER iocrelay
# database: /var/lib/iocrelay/iocrelay.db and publish.dir: /var/lib/iocrelay/public.
VOLUME ["/var/lib/iocrelay"]
# server.listen: 0.0.0.0:8080 in the mounted configuration.
EXPOSE 8080
# /healthz answers loopback clients; with server.tls, set IOCRELAY_HEALTHZ_URL to the https
# address and NODE_EXTRA_CA_CERTS to the CA that signed the certificate.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.IOCRELAY_HEALTHZ_URL || 'http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# serve finishes a publication under way on SIGTERM: give it time (docker stop -t 300).
STOPSIGNAL SIGTERM
ENTRYPOINT ["iocrelay"]
CMD ["serve"]
