using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Webhook.Tests.Plugins;

/// <summary>Loads the real sender payloads (Payloads/, copied to the output) and the documented-schema samples written for these tests.</summary>
internal static class PluginTestData
{
    public static readonly DateTimeOffset ReceivedAt = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public static JsonNode Payload(string sender, string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", sender, file)))!;

    public static string PayloadText(string sender, string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", sender, file));

    /// <summary>Samples live beside this file; read from source so the shared test csproj needs no change.</summary>
    public static JsonNode Sample(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(SamplesDirectory(), file)))!;

    private static string SamplesDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Samples");

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
}
