# API image. Build: docker build -t webhook-api .   Run: docker run -p 8080:8080 -e ConnectionStrings__Webhook=... webhook-api
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props appsettings.json ./
COPY Webhook.Domain/Webhook.Domain.csproj Webhook.Domain/
COPY Webhook.Infrastructure/Webhook.Infrastructure.csproj Webhook.Infrastructure/
COPY Webhook.Api/Webhook.Api.csproj Webhook.Api/
RUN dotnet restore Webhook.Api/Webhook.Api.csproj -r linux-x64
COPY Webhook.Domain/ Webhook.Domain/
COPY Webhook.Infrastructure/ Webhook.Infrastructure/
COPY Webhook.Api/ Webhook.Api/
RUN dotnet publish Webhook.Api/Webhook.Api.csproj -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "Webhook.Api.dll"]
