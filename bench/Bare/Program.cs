// The bare stack: a slim minimal API and Npgsql, nothing else. bench/run.sh measures it in the same run as the
// service, on the same data and routes, so the service's ratios to it show what our own code costs:
//   GET  /monitoring/v1/webhook/{id}?domain_id=   one SELECT of the row as JSON text, written out as is
//   POST /monitoring/v1/webhook/{id}/{key}/events one durable INSERT of the body into bare_requests, then {}
// Same connection settings as the service (auto-prepare, no reset on close). No auth, no validation, no queue.
using Npgsql;
using NpgsqlTypes;

var builder = WebApplication.CreateSlimBuilder(args);
var connectionString = new NpgsqlConnectionStringBuilder(
    builder.Configuration.GetConnectionString("Webhook") ?? throw new InvalidOperationException("ConnectionStrings:Webhook is not set."))
{
    MaxAutoPrepare = 64,
    AutoPrepareMinUsages = 2,
    NoResetOnClose = true,
}.ConnectionString;
var dataSource = NpgsqlDataSource.Create(connectionString);

await using (var create = dataSource.CreateCommand(
    "CREATE TABLE IF NOT EXISTS bare_requests (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, " +
    "webhook_id text NOT NULL, payload jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())"))
{
    await create.ExecuteNonQueryAsync();
}

var app = builder.Build();
var emptyObject = "{}"u8.ToArray();

app.MapGet("/monitoring/v1/webhook/{id}", async (string id, HttpContext context) =>
{
    await using var command = dataSource.CreateCommand(
        "SELECT row_to_json(w)::text FROM webhooks w WHERE webhook_id = $1 AND domain_id = $2");
    command.Parameters.Add(new NpgsqlParameter { Value = id });
    command.Parameters.Add(new NpgsqlParameter { Value = context.Request.Query["domain_id"].ToString() });
    if (await command.ExecuteScalarAsync(context.RequestAborted) is not string document)
    {
        context.Response.StatusCode = 404;
        return;
    }

    context.Response.ContentType = "application/json";
    await context.Response.WriteAsync(document, context.RequestAborted);
});

app.MapPost("/monitoring/v1/webhook/{id}/{key}/events", async (string id, HttpContext context) =>
{
    using var reader = new StreamReader(context.Request.Body);
    var body = await reader.ReadToEndAsync(context.RequestAborted);
    await using var command = dataSource.CreateCommand("INSERT INTO bare_requests (webhook_id, payload) VALUES ($1, $2)");
    command.Parameters.Add(new NpgsqlParameter { Value = id });
    command.Parameters.Add(new NpgsqlParameter { Value = body, NpgsqlDbType = NpgsqlDbType.Jsonb });
    await command.ExecuteNonQueryAsync(context.RequestAborted);
    context.Response.ContentType = "application/json";
    await context.Response.Body.WriteAsync(emptyObject, context.RequestAborted);
});

app.Run();
