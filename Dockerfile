# syntax=docker/dockerfile:1
#
# Rounds: one static binary on distroless.
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) -t rounds .
#   docker run -p 8080:8080 -v rounds-data:/data rounds            # SQLite in /data
#   docker run ... -e ROUNDS_DATABASE_URL=postgres://... rounds     # PostgreSQL
#   docker run -p 8080:8080 rounds demo                              # the demo, its sign-in included
# docker-compose.yml runs both: `docker compose up` and `docker compose --profile demo up demo`.

# go.mod needs Go >= 1.26.8; the 1.26 tag tracks the latest patch (use --pull if a stale
# local image is older; the golang images set GOTOOLCHAIN=local).
ARG GO_VERSION=1.26

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 \
    GOFLAGS=-buildvcs=false

# Dependencies first: this layer is reused until go.mod/go.sum change.
COPY go.mod go.sum ./
# go.mod replaces the SQLite driver with this directory (see its doc).
COPY models/internal/gosqlite/ models/internal/gosqlite/
RUN go mod download && go mod verify

COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/rounds ./cmd/rounds

# The data volume must be writable by the nonroot user (uid 65532); a new named
# volume takes its ownership from this directory.
RUN mkdir -p /out/data && chown 65532:65532 /out/data

FROM gcr.io/distroless/static-debian12:nonroot
# distroless/static already carries CA certificates and tzdata (SMTP over TLS, OAuth).
COPY --from=build /out/rounds /rounds
COPY --from=build --chown=65532:65532 /out/data /data
ENV ROUNDS_ADDR=:8080 \
    ROUNDS_DATA_DIR=/data
USER 65532:65532
VOLUME /data
EXPOSE 8080
# No HEALTHCHECK: the image has no shell or curl. Probe GET /healthz (liveness)
# and GET /readyz (database reachable) from the orchestrator instead.
ENTRYPOINT ["/rounds"]
CMD ["serve"]
