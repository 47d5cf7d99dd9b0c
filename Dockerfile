# The API image: docker compose up --build (see docker-compose.yml), or docker build -t govevents .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so that the layer is reused while only code changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Store/Store.csproj src/Store/
COPY src/Domain/Domain.csproj src/Domain/
COPY src/Projections/Projections.csproj src/Projections/
COPY src/Api/Api.csproj src/Api/
RUN dotnet restore src/Api/Api.csproj
COPY src/ src/
RUN dotnet publish src/Api/Api.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The image listens on 8080 (ASPNETCORE_HTTP_PORTS) and runs as its unprivileged "app" user.
EXPOSE 8080
USER $APP_UID
# Configure with GovEvents__* variables (see README). "migrate" as the argument migrates and exits.
ENTRYPOINT ["dotnet", "GovEvents.Api.dll"]
