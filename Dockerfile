# The gateway relay (relay/): one long-lived Node process. The Worker itself deploys with wrangler, not this image.
#   docker build -t invite-relay .
#   docker run -d --restart=always --env-file relay.env -v invite-relay:/data invite-relay
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production \
    RELAY_SPOOL_PATH=/data/relay-spool \
    RELAY_HEALTH_HOST=127.0.0.1 \
    RELAY_HEALTH_PORT=8788

COPY package.json package-lock.json ./
# Runtime dependencies only, tsx included (classic-level ships prebuilt glibc binaries: no install scripts needed).
RUN npm ci --omit=dev --ignore-scripts \
 && npm cache clean --force \
 && mkdir -p /data && chown node:node /data

COPY relay ./relay

USER node
# The spool: events not yet accepted by the Worker, and the gateway session to resume. Keep it across restarts.
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:8788/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# node is PID 1 and handles SIGTERM itself: `docker stop` flushes the spool and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "relay/main.ts"]
