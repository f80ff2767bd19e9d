using Npgsql;
using NpgsqlTypes;

namespace Webhook.Infrastructure.Sql;

/// <summary>
/// One column of a hand-written table that a statement writes from rows of <typeparamref name="TRow"/>: its name,
/// the type its values travel as (one array parameter per column, expanded by <c>unnest</c>), and, when the value
/// travels as another type than the column's, the cast that turns it into the column's type.
/// </summary>
internal abstract class Column<TRow>(string name, NpgsqlDbType type, string? storedAs)
{
    public string Name { get; } = name;

    public NpgsqlDbType Type { get; } = type;

    /// <summary>The element type of the array parameter, as PostgreSQL spells it in a cast.</summary>
    public string SqlType { get; } = SqlTypeOf(type);

    /// <summary>The column's type when the value travels as another one (e.g. text read as timestamptz).</summary>
    public string? StoredAs { get; } = storedAs;

    public abstract NpgsqlParameter ArrayOf(IReadOnlyList<TRow> rows);

    private static string SqlTypeOf(NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Text => "text",
        NpgsqlDbType.Jsonb => "jsonb",
        NpgsqlDbType.Bigint => "bigint",
        NpgsqlDbType.Integer => "int",
        NpgsqlDbType.Double => "float8",
        NpgsqlDbType.Boolean => "boolean",
        NpgsqlDbType.TimestampTz => "timestamptz",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No SQL name for this parameter type."),
    };
}

internal sealed class Column<TRow, TValue>(string name, NpgsqlDbType type, Func<TRow, TValue> value, string? storedAs = null)
    : Column<TRow>(name, type, storedAs)
{
    public override NpgsqlParameter ArrayOf(IReadOnlyList<TRow> rows)
    {
        var values = new TValue[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }

        return new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | Type };
    }
}

/// <summary>
/// The columns a hand-written statement takes as arrays (a table's own columns for an INSERT, or a batch's inputs
/// such as (id, error) for an UPDATE), named once: the INSERT column list, the
/// <c>unnest</c> that turns one array parameter per column into rows, the SELECT list over those rows and the
/// parameters themselves all come from here, so a column cannot be added to one and forgotten in another, and
/// positional parameters cannot drift apart from the columns they fill.
/// </summary>
internal sealed class ColumnMap<TRow>
{
    public ColumnMap(string table, params Column<TRow>[] columns)
    {
        Table = table;
        Columns = columns;
        Names = string.Join(", ", columns.Select(c => c.Name));
    }

    public string Table { get; }

    public IReadOnlyList<Column<TRow>> Columns { get; }

    /// <summary>The column list of an INSERT: <c>a, b, c</c>.</summary>
    public string Names { get; }

    /// <summary>How many parameters <see cref="AddParameters"/> adds; a statement's own parameters follow them.</summary>
    public int ParameterCount => Columns.Count;

    /// <summary><c>unnest($1::text[], $2::jsonb[]) AS alias(a, b)</c>, numbering parameters from <paramref name="firstParameter"/>.</summary>
    public string Unnest(string alias, int firstParameter = 1) =>
        $"unnest({string.Join(", ", Columns.Select((c, i) => $"${firstParameter + i}::{c.SqlType}[]"))}) AS {alias}({Names})";

    /// <summary>The array parameter that carries column <paramref name="name"/>: <c>$3</c>.</summary>
    public string Parameter(string name, int firstParameter = 1)
    {
        var index = Columns.Select(c => c.Name).ToList().IndexOf(name);
        return index < 0
            ? throw new ArgumentException($"{Table} has no column '{name}' in its map.", nameof(name))
            : $"${firstParameter + index}";
    }

    /// <summary>The SELECT list over <see cref="Unnest"/>'s rows, in <see cref="Names"/>' order, cast where stored differently.</summary>
    public string Values(string alias) =>
        string.Join(", ", Columns.Select(c => c.StoredAs is null ? $"{alias}.{c.Name}" : $"{alias}.{c.Name}::{c.StoredAs}"));

    /// <summary>One array parameter per column, in column order.</summary>
    public void AddParameters(NpgsqlParameterCollection parameters, IReadOnlyList<TRow> rows)
    {
        foreach (var column in Columns)
        {
            parameters.Add(column.ArrayOf(rows));
        }
    }
}
