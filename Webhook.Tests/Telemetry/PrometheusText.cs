using System.Globalization;
using System.Text.RegularExpressions;

namespace Webhook.Tests.Telemetry;

/// <summary>The samples of a Prometheus text scrape, for assertions on names, labels and values.</summary>
internal sealed partial class PrometheusText(string text)
{
    public string Text { get; } = text;

    public IReadOnlyList<(string Name, Dictionary<string, string> Labels, double Value)> Samples { get; } = Parse(text);

    /// <summary>The sum of every sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/>; null if none.</summary>
    public double? Sum(string name, params (string Key, string Value)[] labels)
    {
        var matching = Samples
            .Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .ToList();
        return matching.Count == 0 ? null : matching.Sum(s => s.Value);
    }

    public bool Has(string namePrefix) => Samples.Any(s => s.Name.StartsWith(namePrefix, StringComparison.Ordinal));

    private static List<(string, Dictionary<string, string>, double)> Parse(string text)
    {
        var samples = new List<(string, Dictionary<string, string>, double)>();
        foreach (var line in text.Split('\n'))
        {
            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var number => double.Parse(number, CultureInfo.InvariantCulture),
            };
            samples.Add((match.Groups["name"].Value, labels, value));
        }

        return samples;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)""")]
    private static partial Regex LabelPair();
}
