# syntax=docker/dockerfile:1
# Build: cgo is required (mattn/go-sqlite3), so the build stage has gcc and the runtime has glibc.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/minsheng ./cmd/minsheng

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin minsheng \
    && mkdir -p /data && chown minsheng:minsheng /data
COPY --from=build /out/minsheng /usr/local/bin/minsheng
USER minsheng
WORKDIR /data
# The database and the receipt key live here; keep this volume on encrypted, backed-up storage.
VOLUME /data
ENV MINSHENG_ADDR=0.0.0.0:8080 \
    MINSHENG_DB=/data/minsheng.db
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/minsheng"]
CMD ["serve"]
