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

    /// <summary>Samples are copied to the output directory by the test project.</summary>
    public static JsonNode Sample(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(SamplesDirectory(), file)))!;

    private static string SamplesDirectory() => Path.Combine(AppContext.BaseDirectory, "Plugins", "Samples");

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
}
