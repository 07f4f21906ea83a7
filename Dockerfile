# One image for the worker and the API; docker-compose.yml chooses the role.
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
USER node
ENV DATA_DIR=/data
CMD ["npx", "tsx", "service/main.ts"]
