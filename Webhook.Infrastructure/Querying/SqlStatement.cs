using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Webhook.Domain.Common;
using Webhook.Domain.Querying;

namespace Webhook.Infrastructure.Querying;

/// <summary>A bound parameter value: every value a caller writes reaches PostgreSQL only this way.</summary>
internal sealed record SqlParameterValue(object? Value, NpgsqlDbType Type);

/// <summary>Generated SQL with positional parameters ($1, $2, ...), inspectable by tests.</summary>
internal sealed record SqlStatement(string Sql, IReadOnlyList<SqlParameterValue> Parameters)
{
    public NpgsqlBatchCommand ToBatchCommand()
    {
        var command = new NpgsqlBatchCommand(Sql);
        foreach (var p in Parameters)
        {
            command.Parameters.Add(ToParameter(p));
        }

        return command;
    }

    public NpgsqlCommand ToCommand(NpgsqlConnection connection, string? prefix = null)
    {
        var command = new NpgsqlCommand(prefix + Sql, connection);
        foreach (var p in Parameters)
        {
            command.Parameters.Add(ToParameter(p));
        }

        return command;
    }

    private static NpgsqlParameter ToParameter(SqlParameterValue p) =>
        new() { Value = p.Value ?? DBNull.Value, NpgsqlDbType = p.Type };

    public override string ToString() =>
        Sql + Environment.NewLine + string.Join(Environment.NewLine,
            Parameters.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"${i + 1} = {p.Value} ({p.Type})")));
}

/// <summary>Collects parameters while SQL text is assembled from trusted fragments only.</summary>
internal sealed class SqlBuilder
{
    private readonly List<SqlParameterValue> _parameters = [];

    public IReadOnlyList<SqlParameterValue> Parameters => _parameters;

    public int Count => _parameters.Count;

    public string Add(object? value, NpgsqlDbType type)
    {
        // PostgreSQL refuses a NUL character in text when it binds the parameter, and that refusal of an
        // auto-prepared statement leaves Npgsql's pooled connection out of step (the next query on it fails). No
        // stored text can hold a NUL, so no value with one can match anything: refuse it here, before any SQL.
        if (value is string text && text.Contains('\0') || value is string[] texts && texts.Any(t => t.Contains('\0')))
        {
            throw new QueryException(ErrorCodes.InvalidQuery, "query", "A value contains a NUL character (\\u0000), which no stored text can hold.");
        }

        _parameters.Add(new SqlParameterValue(value, type));
        return "$" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
    }

    public string Text(string value) => Add(value, NpgsqlDbType.Text);

    public string TextArray(IReadOnlyCollection<string> values) => Add(values.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);

    public string Bigint(long value) => Add(value, NpgsqlDbType.Bigint);

    public SqlStatement Build(string sql) => new(sql, _parameters.ToArray());

    public SqlStatement Build(string sql, int parameterCount) => new(sql, _parameters.Take(parameterCount).ToArray());
}
