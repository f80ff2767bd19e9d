namespace Webhook.Domain.Querying;

/// <summary>
/// Reading the query document's JSON: shapes, member names, keys and text PostgreSQL can hold. Shared by both
/// grammars (<see cref="QueryParser"/>'s search and statistics queries) and by <see cref="ConditionParser"/>.
/// </summary>
internal static class QueryJson
{
    internal static long? ParseCount(JsonElement? json, string path)
    {
        if (json is null || json.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (json.Value.ValueKind != JsonValueKind.Number || !json.Value.TryGetInt64(out var n))
        {
            throw QueryException.Invalid(path, $"Expected a whole number, not {Describe(json.Value)}.");
        }

        return n < 0 ? throw QueryException.Invalid(path, $"Expected zero or a positive number, not {n}.") : n;
    }

    internal static bool ParseBool(JsonElement? json, string path) => json?.ValueKind switch
    {
        null or JsonValueKind.Null or JsonValueKind.False => false,
        JsonValueKind.True => true,
        _ => throw QueryException.Invalid(path, $"Expected true or false, not {Describe(json.Value)}."),
    };

    internal static IEnumerable<(JsonElement Item, string Path)> Items(JsonElement? json, string path)
    {
        if (json is null || json.Value.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }

        if (json.Value.ValueKind != JsonValueKind.Array)
        {
            throw QueryException.Invalid(path, "Expected a list.");
        }

        var i = 0;
        foreach (var item in json.Value.EnumerateArray())
        {
            yield return (item, $"{path}[{i++}]");
        }
    }

    internal static void CheckUniqueNames(IEnumerable<(string Name, string Path)> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, path) in names)
        {
            if (!seen.Add(name))
            {
                throw QueryException.Invalid($"{path}.name", $"The name '{name}' is used twice in this stage.");
            }
        }
    }

    internal static string RequireName(JsonElement obj, string path)
    {
        var name = Member(obj, "name");
        if (name is null || name.Value.ValueKind == JsonValueKind.Null)
        {
            throw QueryException.Invalid($"{path}.name", "A 'name' is required here.");
        }

        var text = RequireText(name.Value, $"{path}.name");
        return text.Length == 0 ? throw QueryException.Invalid($"{path}.name", "The name must not be empty.") : text;
    }

    internal static string RequireMemberKey(JsonElement obj, string member, string path)
    {
        var key = Member(obj, member);
        return key is null || key.Value.ValueKind == JsonValueKind.Null
            ? throw QueryException.Invalid($"{path}.{member}", $"A '{member}' is required here.")
            : RequireKey(key.Value, $"{path}.{member}");
    }

    /// <summary>A field key: a non-empty string of dot-separated non-empty segments.</summary>
    internal static string RequireKey(JsonElement json, string path) => CheckKey(RequireText(json, path), path);

    internal static string CheckKey(string key, string path) =>
        key.Length == 0 || key.Split('.').Any(s => s.Length == 0)
            ? throw QueryException.Invalid(path, $"'{key}' is not a valid key: use field names separated by dots.")
            : key;

    internal static string RequireText(JsonElement json, string path) =>
        json.ValueKind == JsonValueKind.String
            ? CheckText(json.GetString()!, path)
            : throw QueryException.Invalid(path, $"Expected a string, not {Describe(json)}.");

    /// <summary>
    /// Every string in the document, member names included, must be text PostgreSQL can hold: System.Text.Json
    /// refuses to decode an escaped lone surrogate, so this walk turns that into a 400 before anything else reads it.
    /// </summary>
    internal static void CheckStrings(JsonElement json, string path)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                CheckText(Decode(json, path), path);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in json.EnumerateArray())
                {
                    CheckStrings(item, $"{path}[{i++}]");
                }

                break;
            case JsonValueKind.Object:
                foreach (var member in json.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = member.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        throw QueryException.Invalid(path, "A member name is not valid UTF-16 text.");
                    }

                    CheckText(name, $"{path}.{name}");
                    CheckStrings(member.Value, $"{path}.{name}");
                }

                break;
        }
    }

    internal static string Decode(JsonElement json, string path)
    {
        try
        {
            return json.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw QueryException.Invalid(path, "Text contains an unpaired UTF-16 surrogate.");
        }
    }

    /// <summary>PostgreSQL text cannot hold NUL or broken UTF-16; reject them here rather than fail in the database.</summary>
    internal static string CheckText(string text, string path)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                throw QueryException.Invalid(path, "Text must not contain the NUL character.");
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw QueryException.Invalid(path, "Text contains an unpaired UTF-16 surrogate.");
            }
        }

        return text;
    }

    internal static (string? Name, JsonElement? Value) LongOrShort(JsonElement obj, string longName, string shortName, string path)
    {
        var hasLong = obj.TryGetProperty(longName, out var longValue);
        var hasShort = obj.TryGetProperty(shortName, out var shortValue);
        if (hasLong && hasShort)
        {
            throw QueryException.Invalid($"{path}.{shortName}", $"Give '{longName}' or '{shortName}', not both.");
        }

        return hasLong ? (longName, longValue) : hasShort ? (shortName, shortValue) : (null, null);
    }

    internal static JsonElement RequireObject(JsonElement json, string path, string? message = null) =>
        json.ValueKind == JsonValueKind.Object
            ? json
            : throw QueryException.Invalid(path, message ?? $"Expected an object, not {Describe(json)}.");

    internal static void CheckMembers(JsonElement obj, string path, params string[] allowed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in obj.EnumerateObject())
        {
            if (!allowed.Contains(member.Name, StringComparer.Ordinal))
            {
                throw QueryException.Invalid($"{path}.{member.Name}",
                    $"Unknown member '{member.Name}'; allowed here: {string.Join(", ", allowed)}.");
            }

            if (!seen.Add(member.Name))
            {
                throw QueryException.Invalid($"{path}.{member.Name}", $"'{member.Name}' is given twice.");
            }
        }
    }

    internal static JsonElement? Member(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value : null;

    internal static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
