# The sneakpipe runners in one image: `produce`, `consume`, `seed`, `report`, `schedule`.
# docker build -t sneakpipe . && docker run --rm sneakpipe --help
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY packages/core/package.json packages/core/
COPY packages/connectors/package.json packages/connectors/
COPY packages/runners/package.json packages/runners/
RUN npm ci
COPY packages packages
RUN npx turbo run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
USER node
# Metrics endpoints: producer 8001, consumer 8002.
EXPOSE 8001 8002
ENTRYPOINT ["node", "packages/runners/dist/cli.js"]
CMD ["--help"]
