# Attestflow application image. TypeScript is compiled at start by @swc-node/register
# (a production dependency); the only build stage builds the browser app with Vite.
# Node 22 LTS, pinned to a patch release; bump deliberately (see docs/deployment.md).
FROM node:22.22.0-bookworm-slim AS web

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# web/dist with its source stamp: the app's start finds it current and does not rebuild.
RUN node bin/attestflow.js build-web

FROM node:22.22.0-bookworm-slim

WORKDIR /app

# poppler-utils (pdftotext, pdftoppm, pdfinfo) for working with PDF documents.
RUN apt-get update \
    && apt-get install -y --no-install-recommends poppler-utils \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so source-only changes reuse this layer.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev \
    && npm cache clean --force

COPY . .
COPY --from=web /app/web/dist ./web/dist

# Prebuild the Temporal workflow bundle once, so worker start does not run webpack.
RUN node bin/attestflow.js bundle-workflows /app/workflow-bundle.js

# DATA_DIR (holds the organisation PKI). A named volume mounted here starts out
# with this ownership, so the unprivileged node user can write to it.
RUN mkdir -p /var/lib/attestflow \
    && chown node:node /var/lib/attestflow

ENV NODE_ENV=production \
    DATA_DIR=/var/lib/attestflow \
    TEMPORAL_WORKFLOW_BUNDLE=/app/workflow-bundle.js

USER node

EXPOSE 3000

CMD ["node", "bin/attestflow.js", "start"]
