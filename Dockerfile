# syntax=docker/dockerfile:1
# Build: a release binary with everything (templates, migrations, static files, fonts) embedded;
# the image's C compiler also builds libjpeg-turbo (mozjpeg-sys).
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
COPY assets ./assets
RUN cargo build --release --locked --bin fursona

# Run: a small Debian with CA certificates, as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin fursona \
    && mkdir -p /data && chown fursona /data
COPY --from=build /src/target/release/fursona /usr/local/bin/fursona
USER fursona
WORKDIR /data
ENV HOST=0.0.0.0 PORT=3001 DATA_DIR=/data
EXPOSE 3001
VOLUME ["/data"]
ENTRYPOINT ["/usr/local/bin/fursona"]
