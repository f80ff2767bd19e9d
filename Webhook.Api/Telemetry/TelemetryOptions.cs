namespace Webhook.Api.Telemetry;

public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// Where traces go (OTLP over gRPC or HTTP/protobuf, as <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> says). Empty: the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable, and with neither set no traces are recorded at all.
    /// </summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary>The <c>service.name</c> traces and metrics carry.</summary>
    public string ServiceName { get; set; } = "webhook-api";
}
