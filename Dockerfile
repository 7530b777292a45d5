# The panel as a container that manages the machine it runs on (the pattern of containerised edgecore):
# privileged, in the host's PID and network namespaces, the host's root mounted at /host, and every engine
# command entering the host's namespaces through nsenter (CONTROLPANEL_HOST_NSENTER=1).
# See README "The panel as a container" for the docker run line and what each flag grants.
#
# Base images are build arguments, so the image builds from a local registry or a mirror too:
#   docker build --build-arg SDK_IMAGE=... --build-arg BASE_IMAGE=... -t controlpanel .
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG BASE_IMAGE=debian:12-slim

# The SDK runs on the build machine's own platform and publishes for the target's (an arm64 image built on x64 runs
# no .NET under emulation: see README "The panel as a container").
FROM --platform=$BUILDPLATFORM ${SDK_IMAGE} AS build
ARG TARGETARCH=amd64
WORKDIR /src
COPY . .
RUN rid=linux-x64; [ "$TARGETARCH" = arm64 ] && rid=linux-arm64; \
    dotnet publish src/ControlPanel/ControlPanel.csproj -c Release -r "$rid" --self-contained true -nologo -o /out

FROM ${BASE_IMAGE}
# util-linux: nsenter and setsid (every command runs through them); ICU: the Chinese interface.
ARG ICU_PACKAGE=libicu72
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends util-linux ${ICU_PACKAGE} ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out /opt/controlpanel
ENV CONTROLPANEL_HOST_NSENTER=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8800
ENTRYPOINT ["/opt/controlpanel/controlpanel"]
# Data on the host's disk (/var/lib/controlpanel there), so a host-installed CLI and upgrades of the image share it.
CMD ["serve", "--urls", "http://127.0.0.1:8800", "--data", "/host/var/lib/controlpanel"]
