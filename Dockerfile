# syntax=docker/dockerfile:1
#
# Chat server image: build the fat jar with Maven, run it on a JRE as uid/gid 10001.
# Build:  docker build -t chat-server:1.0.0 .
# Run:    docker run --rm --read-only --tmpfs /tmp -p 9900:9900 -p 8081:8081 -p 8080:8080 chat-server:1.0.0
#
# The runtime stage works with a read-only root filesystem: the only writable path the JVM and
# Vert.x need is /tmp (Kubernetes mounts an emptyDir there; `docker run` needs --tmpfs /tmp).

############################ build stage ############################
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /build

# Resolve dependencies and plugins in their own layer so that source-only changes reuse it.
COPY pom.xml ./
# Best effort: go-offline misses some plugin dependencies, which the package step then fetches.
RUN mvn -B -q dependency:go-offline || true

COPY src ./src
RUN mvn -B -DskipTests package \
 && cp target/chat-server.jar /build/chat-server.jar

############################ runtime stage ##########################
FROM eclipse-temurin:17-jre-jammy AS runtime

# Fixed, non-root uid/gid 10001: the Kubernetes securityContext (runAsUser 10001) names the same ids.
RUN groupadd --system --gid 10001 chat \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin chat

WORKDIR /app
COPY --from=build --chown=root:root /build/chat-server.jar /app/chat-server.jar
# Defaults file, read relative to the working directory (/app/config/application.yaml).
# Kubernetes mounts its ConfigMap over /app/config; the image alone runs with these defaults.
COPY --chown=root:root config/ /app/config/

# Chat (TCP), ops HTTP (/metrics, /health/*), Hazelcast member port, Vert.x event-bus port.
EXPOSE 9900 8081 8080 5701 5702

USER 10001:10001

# JVM flags for a container:
#  - heap sized from the cgroup memory limit, leaving 25% for metaspace, threads, direct buffers;
#  - exit (and let the orchestrator restart us) on OutOfMemoryError instead of limping on;
#  - Vert.x file cache and java.io.tmpdir under /tmp, the only writable path.
# Extra flags can be added at run time with JAVA_TOOL_OPTIONS (e.g. heap dumps to /tmp).
# Exec form: java is PID 1 and receives SIGTERM directly, so the server's drain runs.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", \
  "-XX:MaxRAMPercentage=75", \
  "-XX:InitialRAMPercentage=50", \
  "-XX:+UseG1GC", \
  "-XX:+ExitOnOutOfMemoryError", \
  "-Djava.io.tmpdir=/tmp", \
  "-Dvertx.cacheDirBase=/tmp/vertx-cache", \
  "-Dfile.encoding=UTF-8", \
  "-jar", "/app/chat-server.jar"]
