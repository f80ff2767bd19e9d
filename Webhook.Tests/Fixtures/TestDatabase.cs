using Npgsql;

namespace Webhook.Tests.Fixtures;

/// <summary>
/// A fresh database on the PostgreSQL server that ./test.sh started (ConnectionStrings__Webhook), made for
/// one fixture and dropped after it, so test runs never see each other's rows.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private TestDatabase(string serverConnectionString, string name, string connectionString)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(string prefix)
    {
        var baseConnectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Webhook")
            ?? throw new InvalidOperationException(
                "ConnectionStrings__Webhook is not set: run the tests through ./test.sh, which starts PostgreSQL.");
        var server = new NpgsqlConnectionStringBuilder(baseConnectionString) { Database = "postgres", Pooling = false };
        var name = $"{prefix}_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new NpgsqlConnectionStringBuilder(baseConnectionString) { Database = name };
        return new TestDatabase(server.ConnectionString, name, database.ConnectionString);
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, typeof(T));
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
