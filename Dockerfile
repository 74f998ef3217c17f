# The five images of the stack from one Release build, as `make run` builds them (scripts/stack.sh):
#   docker build --target api .    (targets: api, dispatcher, scheduler, migrator, twilio-emulator)
# One build stage rather than a Dockerfile per service: the shared projects (Data, Messaging, ServiceDefaults,
# Twilio…) are restored and compiled once instead of five times, and the images cannot drift apart.
# The context is the repository root; .dockerignore lets in only the root build files, src/ and tools/.

# Restore needs only the root build files and the project files. Copying those alone (found, not listed, so a new
# project needs no edit here) keeps the restore layer cached until a reference or a package version changes.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS restore-inputs
WORKDIR /src
COPY . .
RUN find . -type f ! \( -name '*.csproj' -o -name global.json -o -name Directory.Build.props \
        -o -name Directory.Packages.props -o -name .editorconfig \) -delete \
    && find . -type d -empty -delete

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The projects `make run` starts; each is published to /app/<folder name>.
ARG PROJECTS="src/Api/Api.csproj src/Dispatcher/Dispatcher.csproj src/Scheduler/Scheduler.csproj tools/Migrator/Migrator.csproj tools/TwilioEmulator/TwilioEmulator.csproj"
WORKDIR /src
COPY --from=restore-inputs /src ./
RUN for project in $PROJECTS; do dotnet restore "$project" || exit 1; done
COPY src/ src/
COPY tools/ tools/
# No apphost: the images start `dotnet <assembly>.dll`, so the native launcher would only add weight.
RUN for project in $PROJECTS; do \
        dotnet publish "$project" -c Release --no-restore -p:UseAppHost=false \
            -o "/app/$(basename "$(dirname "$project")")" || exit 1; \
    done

# The Migrator needs the ASP.NET Core runtime too: ServiceDefaults and Data reference Microsoft.AspNetCore.App.
# The aspnet image runs as root by default; USER switches to its built-in unprivileged `app` user. The published
# files stay owned by root, so the process cannot rewrite its own code.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
USER $APP_UID

FROM runtime AS migrator
COPY --from=build /app/Migrator ./
ENTRYPOINT ["dotnet", "SmsRemarketing.Migrator.dll"]

# No HEALTHCHECK here: the image has no curl or wget, and the path differs per service; docker-compose.yml probes
# with bash's /dev/tcp instead.
FROM runtime AS http-service
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080

FROM http-service AS twilio-emulator
COPY --from=build /app/TwilioEmulator ./
ENTRYPOINT ["dotnet", "SmsRemarketing.TwilioEmulator.dll"]

FROM http-service AS scheduler
COPY --from=build /app/Scheduler ./
ENTRYPOINT ["dotnet", "SmsRemarketing.Scheduler.dll"]

FROM http-service AS dispatcher
COPY --from=build /app/Dispatcher ./
ENTRYPOINT ["dotnet", "SmsRemarketing.Dispatcher.dll"]

# Last, so a plain `docker build .` builds the Api.
FROM http-service AS api
COPY --from=build /app/Api ./
ENTRYPOINT ["dotnet", "SmsRemarketing.Api.dll"]
